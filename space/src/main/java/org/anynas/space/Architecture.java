package org.anynas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A network of the design space, read as stem → stages → head (AnyNet). {@link #graph()} lowers it to the
 * explicit op graph with exact shapes, parameters and MACs.
 */
public record Architecture(Shape input, int classes, Activation activation, Stem stem, List<Stage> stages, Head head) {

    public Architecture {
        Fields.present("input", input);
        Fields.present("activation", activation);
        Fields.present("stem", stem);
        Fields.present("head", head);
        if (stages == null || stages.isEmpty()) throw new UserInputException("stages must list at least one stage");
        stages = List.copyOf(stages);
        Fields.range("classes", classes, 2, 100_000);
        if (activation == Activation.SIGMOID) throw new UserInputException("activation sigmoid is reserved for SE gates");
    }

    public static Architecture of(Shape input, int classes, Activation activation, Stem stem, List<Stage> stages, Head head) {
        return new Architecture(input, classes, activation, stem, stages, head);
    }

    /** The same network with genes that do not change it set to fixed values; equal networks are equal here. */
    public Architecture canonical() {
        List<Stage> canon = new ArrayList<>(stages.size());
        for (Stage s : stages) canon.add(s.canonical());
        return new Architecture(input, classes, activation, stem, canon, head);
    }

    /** Lowers to ops; throws {@link InvalidArchitectureException} naming the node where shapes break. */
    public OpGraph graph() {
        GraphWriter g = new GraphWriter(input, activation);
        String x = g.convBnAct("stem", OpGraph.INPUT, stem.width(), stem.kernel(), stem.stride(), 1);
        for (int i = 0; i < stages.size(); i++) {
            x = stage(g, "s" + (i + 1), x, stages.get(i));
        }
        x = g.add("head_pool", new Op.GlobalAvgPool(), x);
        for (int i = 0; i < head.hidden().size(); i++) {
            x = g.add("head_fc" + (i + 1), new Op.Dense(head.hidden().get(i), true), x);
            x = g.act("head_fc" + (i + 1), x);
            if (head.dropout() > 0) x = g.add("head_fc" + (i + 1) + "_dropout", new Op.Dropout(head.dropout()), x);
        }
        if (head.hidden().isEmpty() && head.dropout() > 0) x = g.add("head_dropout", new Op.Dropout(head.dropout()), x);
        g.add("classifier", new Op.Classifier(classes), x);
        return g.build();
    }

    private static String stage(GraphWriter g, String name, String x, Stage s) {
        int stride = 1;
        switch (s.downsample()) {
            case STRIDE -> stride = 2;
            case MAX_POOL, AVG_POOL -> {
                if (s.block().downsamplesItself()) {
                    stride = 2;
                } else {
                    Op.PoolKind kind = s.downsample() == Downsample.MAX_POOL ? Op.PoolKind.MAX : Op.PoolKind.AVG;
                    x = g.add(name + "_pool", new Op.Pool(kind, 2, 2, 0), x);
                }
            }
            case NONE -> { }
        }
        for (int b = 0; b < s.depth(); b++) {
            x = s.block().build(g, name + "b" + (b + 1), x, s, b == 0 ? stride : 1);
        }
        return x;
    }

    /** One line for tables: {@code stem16 | residual d2 w32 k3 /2 | plain d1 w64 k5 se.25 | gap fc10}. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder("stem").append(stem.width());
        if (stem.stride() > 1) sb.append('/').append(stem.stride());
        for (Stage s : stages) {
            sb.append(" | ").append(s.block().key()).append(" d").append(s.depth()).append(" w").append(s.width())
                    .append(" k").append(s.kernel());
            if (s.block().usesBottleneck()) sb.append(" b").append(trim(s.bottleneck()));
            if (s.block() == BlockType.BOTTLENECK && s.depthwise()) sb.append(" dw");
            if (s.block() == BlockType.X) sb.append(" g").append(s.groupWidth());
            if (s.hasSe()) sb.append(" se").append(trim(s.se()));
            switch (s.downsample()) {
                case STRIDE -> sb.append(" /2");
                case MAX_POOL -> sb.append(" max/2");
                case AVG_POOL -> sb.append(" avg/2");
                case NONE -> { }
            }
        }
        sb.append(" | gap");
        for (int h : head.hidden()) sb.append(" fc").append(h);
        sb.append(" fc").append(classes);
        if (activation != Activation.RELU) sb.append(" (").append(activation.key()).append(')');
        return sb.toString();
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s.replaceFirst("^0\\.", ".");
    }
}
