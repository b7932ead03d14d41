package org.anynas.cli.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The report's look for XChart charts (white, readable fonts, one palette) and how they are saved. */
final class ChartStyle {
    private ChartStyle() {
    }

    /** Colour-blind-safe palette (Okabe–Ito), one colour per campaign or series. */
    static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120),
            new Color(240, 228, 66)};
    static final Color FAILED = new Color(200, 30, 30);
    static final Color FAINT = new Color(150, 150, 150, 110);

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static <S extends AxesChartStyler> S apply(S s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(200, 200, 200));
        s.setPlotGridLinesColor(new Color(232, 232, 232));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendBorderColor(new Color(210, 210, 210));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        s.setAnnotationTextFontColor(new Color(60, 60, 60));
        s.setLocale(java.util.Locale.ROOT);
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(6);
        s.setChartPadding(12);
        return s;
    }

    /** Writes the chart as PNG and SVG under {@code dir/figures}. */
    static Figure save(Chart<?, ?> chart, Path dir, String name, String caption) {
        Figure f = new Figure(name, caption, chart.getWidth(), chart.getHeight());
        try {
            Files.createDirectories(dir.resolve("figures"));
            BitmapEncoder.saveBitmap(chart, dir.resolve(f.png()).toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(f.svg()).toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(f.png()) + ": " + e.getMessage(), e);
        }
        return f;
    }
}
