package org.anynas.cli.report;

import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.GraphDot;
import org.anynas.space.GraphTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** 6. The top-k table, and for each network its layer summary and its op graph (Graphviz, when installed). */
final class TopSection {
    private TopSection() {
    }

    static Section of(Snapshot s, Path dir, int k, Optional<Graphviz> graphviz) {
        List<Point> top = TopK.of(s, k);
        if (top.isEmpty()) return new Section("top", "Top networks", Html.p("No successful candidate yet."));
        boolean ladder = s.campaigns().stream().anyMatch(CampaignData::ladder);
        List<List<Object>> rows = new ArrayList<>();
        int rank = 0;
        for (Point p : top) {
            List<Object> row = new ArrayList<>(List.of(++rank, p.id(), p.campaign(), p.valAcc()));
            if (ladder) row.add(p.rung() + " (" + p.rungEpochs() + " ep)");
            row.addAll(List.of(GraphTable.human(p.params()), GraphTable.human(p.macs()), Html.fixed(p.latencyMs(), 1),
                    Html.fixed(p.trainSeconds(), 1), p.oneLine()));
            rows.add(row);
        }
        List<String> heads = new ArrayList<>(List.of("rank", "candidate", "campaign", "val_acc"));
        if (ladder) heads.add("rung");
        heads.addAll(List.of("params", "MACs", "latency ms", "train s", "architecture"));
        StringBuilder html = new StringBuilder(Html.table(heads, rows));
        if (ladder) {
            html.append(Html.p("On a fidelity ladder a network is ranked at the highest rung it reached: those trained to "
                    + "the campaign's top rung come first, then each rung below (a score after fewer epochs is not comparable); "
                    + "./nas db top ranks them the same way."));
        }
        if (graphviz.isEmpty()) {
            html.append("<p class=\"note\">The op graphs are not drawn: Graphviz is not installed. Install it "
                    + "(<code>sudo apt-get install graphviz</code>, <code>brew install graphviz</code>) and run the report "
                    + "again; each graph's DOT text is in <code>graphs/</code> meanwhile.</p>\n");
        }
        rank = 0;
        for (Point p : top) {
            rank++;
            Architecture a = ArchitectureJson.read(p.archJson());
            String base = "graphs/candidate-" + p.id();
            write(dir.resolve(base + ".dot"), GraphDot.render(a.graph(), "candidate " + p.id()));
            html.append("<details").append(rank == 1 ? " open" : "").append("><summary>#").append(rank).append(": candidate ")
                    .append(p.id()).append(", val_acc ").append(Html.cell(p.valAcc())).append(", ")
                    .append(GraphTable.human(p.params())).append(" params</summary><div class=\"row\">");
            html.append("<pre class=\"layers\">").append(Html.esc(GraphTable.render(a.graph()))).append("</pre>");
            if (graphviz.isPresent() && graphviz.get().render(dir.resolve(base + ".dot"), dir.resolve(base + ".svg"))) {
                html.append("<div class=\"graph\"><img src=\"").append(base).append(".svg\" alt=\"op graph of candidate ")
                        .append(p.id()).append("\"></div>");
            } else {
                html.append("<p class=\"note\">Op graph: <a href=\"").append(base).append(".dot\">").append(base)
                        .append(".dot</a>").append(graphviz.isPresent() ? " (Graphviz failed to draw it)" : "").append("</p>");
            }
            html.append("</div></details>\n");
        }
        return new Section("top", "Top " + top.size() + " networks", html.toString());
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
