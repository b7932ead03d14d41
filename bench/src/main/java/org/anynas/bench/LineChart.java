package org.anynas.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small PNG line chart (Java2D, headless): a few named series over a shared x axis. */
public final class LineChart {

    /** One line: thin lines are drawn faint (individual seeds), thick ones bold (means). */
    public record Series(String label, double[] y, Color color, boolean thick) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    private LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public static LineChart of(String title, String xLabel, String yLabel) {
        return new LineChart(title, xLabel, yLabel);
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /** x runs 1..n over the longest series. */
    public void write(Path file) {
        System.setProperty("java.awt.headless", "true");
        int w = 900;
        int h = 560;
        int left = 80;
        int right = 200;
        int top = 50;
        int bottom = 60;
        int n = series.stream().mapToInt(s -> s.y().length).max().orElse(1);
        double lo = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).filter(Double::isFinite).min().orElse(0);
        double hi = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).filter(Double::isFinite).max().orElse(1);
        double pad = Math.max(1e-3, (hi - lo) * 0.05);
        lo -= pad;
        hi += pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            int y = top + ph - (int) Math.round(ph * (double) i / 5);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, left + pw - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3f", v), left - 50, y + 4);
        }
        int ticks = Math.min(n, 8);
        for (int i = 0; i <= ticks; i++) {
            int xv = Math.max(1, (int) Math.round(1 + (n - 1) * (double) i / ticks));
            int x = left + (int) Math.round(pw * (xv - 1) / (double) Math.max(1, n - 1));
            g.drawString(String.valueOf(xv), x - 6, top + ph + 18);
        }
        g.drawString(xLabel, left + pw / 2 - 40, h - 15);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + ph / 2 + 60), 20);
        g.rotate(Math.PI / 2);
        int legend = top + 10;
        for (Series s : series) {
            Color c = s.thick() ? s.color() : new Color(s.color().getRed(), s.color().getGreen(), s.color().getBlue(), 90);
            g.setColor(c);
            g.setStroke(new BasicStroke(s.thick() ? 3f : 1.2f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.y().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                int x = left + (int) Math.round(pw * i / (double) Math.max(1, n - 1));
                int y = top + ph - (int) Math.round(ph * (s.y()[i] - lo) / (hi - lo));
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
            }
            if (s.thick()) {
                g.drawLine(left + pw + 15, legend, left + pw + 40, legend);
                g.setColor(Color.BLACK);
                g.drawString(s.label(), left + pw + 45, legend + 4);
                legend += 20;
            }
        }
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
