package org.anynas.cli.report;

import org.anynas.space.FileTree;
import org.anynas.space.UserInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code ./nas report}: one folder with a self-contained {@code index.html} (inline style, no scripts, fonts or
 * anything from the network) and its figures, for one campaign or several compared.
 */
public final class Report {
    private Report() {
    }

    /** Writes the report of the snapshot into {@code dir}; returns its index.html. */
    public static Path write(Snapshot s, Path dir, int k, Optional<Graphviz> graphviz) {
        System.setProperty("java.awt.headless", "true");
        prepare(dir);
        List<Section> sections = List.of(ProgressSection.of(s, dir), ParetoSection.of(s, dir), DesignSpaceSection.of(s, dir),
                LearningCurveSection.of(s, dir, k), LineageSection.of(s, dir), TopSection.of(s, dir, k, graphviz),
                SetupSection.of(s, dir));
        Path index = dir.resolve("index.html");
        try {
            Files.writeString(index, page(s, sections));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + index + ": " + e.getMessage(), e);
        }
        return index;
    }

    /**
     * An empty or new folder, or an earlier report (its figures and graphs are replaced, so none is left from a
     * campaign no longer shown); anything else is refused rather than mixed into.
     */
    private static void prepare(Path dir) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UserInputException(dir + " is a file; pass --out with a folder for the report");
            }
            if (Files.isDirectory(dir)) {
                boolean empty;
                try (Stream<Path> s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty && !Files.exists(dir.resolve("index.html"))) {
                    throw new UserInputException(dir + " exists and is not an AnyNAS report; pass --out with a new or empty folder");
                }
                for (String sub : List.of("figures", "graphs")) FileTree.delete(dir.resolve(sub));
            }
            Files.createDirectories(dir.resolve("figures"));
        } catch (IOException e) {
            throw new UserInputException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String page(Snapshot s, List<Section> sections) {
        String names = String.join(", ", s.campaigns().stream().map(CampaignData::name).toList());
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>AnyNAS report: ").append(Html.esc(names)).append("</title>\n<style>").append(CSS).append("</style>\n")
                .append("</head><body>\n<header><h1>AnyNAS report</h1><p>")
                .append(Html.esc(s.campaigns().size() == 1 ? "Campaign " + names : s.campaigns().size() + " campaigns compared: " + names))
                .append(" · ").append(s.points().size()).append(" candidates · database ").append(Html.esc(s.db().toAbsolutePath()))
                .append(" · read ").append(Html.esc(OffsetDateTime.now().withNano(0).toString().replace('T', ' ')))
                .append("</p>\n<nav>");
        int n = 0;
        for (Section sec : sections) {
            b.append("<a href=\"#").append(sec.id()).append("\">").append(++n).append(". ").append(Html.esc(sec.title())).append("</a>\n");
        }
        b.append("</nav></header>\n<main>\n");
        n = 0;
        for (Section sec : sections) {
            b.append("<section id=\"").append(sec.id()).append("\"><h2>").append(++n).append(". ").append(Html.esc(sec.title()))
                    .append("</h2>\n").append(sec.html()).append("</section>\n");
        }
        return b.append("</main>\n<footer>Written by ./nas report from a consistent snapshot of the database; figures are PNG, "
                + "with SVG beside each.</footer>\n</body></html>\n").toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.45}
            header{background:#fff;border-bottom:1px solid #ddd;padding:14px 28px;position:sticky;top:0;z-index:1}
            header h1{margin:0 0 4px;font-size:22px}header p{margin:0 0 8px;color:#555;font-size:14px}
            nav a{margin-right:14px;font-size:14px;color:#0b62a4;text-decoration:none;white-space:nowrap}nav a:hover{text-decoration:underline}
            main{padding:8px 28px 28px;max-width:1320px}
            section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:8px 20px 16px;margin:18px 0}
            h2{font-size:19px;margin:10px 0}h3{font-size:16px;margin:16px 0 6px}
            .row{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
            figure{margin:6px 0;flex:1 1 480px;max-width:622px}figure img{width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:12px;color:#666;max-width:620px}
            table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top;white-space:nowrap}td:last-child{white-space:normal}
            th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
            pre{font-size:12px;background:#f6f6f6;padding:8px;overflow:auto;max-height:420px}
            pre.layers{flex:1 1 560px;min-width:0}
            .graph{flex:0 1 420px;max-height:560px;overflow:auto;border:1px solid #eee;background:#fff}.graph img{max-width:100%}
            details{margin:6px 0}summary{cursor:pointer;font-weight:600}
            .note{color:#8a5300}footer{color:#777;font-size:12px;padding:0 28px 24px}
            """;
}
