package org.anynas.space;

import java.util.Locale;

/** A Keras-style layer table of an op graph: node, op, output shape, parameters, MACs; totals at the end. */
public final class GraphTable {
    private GraphTable() {
    }

    public static String render(OpGraph g) {
        int nameWidth = Math.max(8, g.nodes().stream().mapToInt(n -> n.name().length()).max().orElse(8));
        String fmt = "%-" + nameWidth + "s  %-10s  %-14s  %12s  %14s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "node", "op", "output", "params", "MACs"));
        sb.append("-".repeat(nameWidth + 60)).append('\n');
        sb.append(String.format(Locale.ROOT, fmt, OpGraph.INPUT, "input", g.input(), "", ""));
        for (LayerStats s : g.layers()) {
            sb.append(String.format(Locale.ROOT, fmt, s.node().name(), g.kind(s.node()), s.output(),
                    group(s.params()), group(s.macs())));
        }
        sb.append("-".repeat(nameWidth + 60)).append('\n');
        sb.append(String.format(Locale.ROOT, "trainable parameters: %s (+ %s batch-norm running statistics)%n",
                group(g.params()), group(g.bnStatistics())));
        sb.append(String.format(Locale.ROOT, "MACs per image: %s (%s)%n", group(g.macs()), human(g.macs())));
        sb.append(String.format(Locale.ROOT, "activations per image: %s%n", group(g.activations())));
        return sb.toString();
    }

    static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** 1234 → 1.2k, 5600000 → 5.6M. */
    public static String human(double v) {
        if (!Double.isFinite(v)) return "-";
        double a = Math.abs(v);
        if (a >= 1e9) return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        if (a >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (a >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
