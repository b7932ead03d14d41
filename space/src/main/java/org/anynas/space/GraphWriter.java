package org.anynas.space;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Appends named nodes and tracks each one's shape so block builders can size shortcuts and branches. */
final class GraphWriter {
    private final Shape input;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Activation activation;

    GraphWriter(Shape input, Activation activation) {
        this.input = input;
        this.activation = activation;
        shapes.put(OpGraph.INPUT, input);
    }

    /** Adds a node and returns its name. */
    String add(String name, Op op, String... inputs) {
        Node node = Node.of(name, op, inputs);
        List<Shape> in = new ArrayList<>(inputs.length);
        for (String i : inputs) in.add(shape(i));
        if (shapes.containsKey(name)) throw new InvalidArchitectureException("duplicate node name '" + name + "'");
        shapes.put(name, ShapeInference.infer(node, in).output());
        nodes.add(node);
        return name;
    }

    Shape shape(String name) {
        Shape s = shapes.get(name);
        if (s == null) throw new IllegalStateException("unknown node " + name);
        return s;
    }

    int channels(String name) {
        return shape(name).channels();
    }

    /** conv → BN, the unit every block is made of. */
    String convBn(String name, String in, int filters, int kernel, int stride, int groups) {
        String c = add(name + "_conv", new Op.Conv(filters, kernel, stride, kernel / 2, groups, false), in);
        return add(name + "_bn", new Op.BatchNorm(), c);
    }

    /** conv → BN → activation. */
    String convBnAct(String name, String in, int filters, int kernel, int stride, int groups) {
        return act(name, convBn(name, in, filters, kernel, stride, groups));
    }

    String act(String name, String in) {
        return add(name + "_" + activation.key(), new Op.Act(activation), in);
    }

    /** Squeeze-and-excitation: GAP → FC(C·r) → act → FC(C) → sigmoid → channel-wise scale. */
    String se(String name, String in, double ratio) {
        return se(name, in, Math.max(1, (int) Math.round(channels(in) * ratio)));
    }

    /** Squeeze-and-excitation with {@code hidden} squeezed channels (the X block sizes them by its input). */
    String se(String name, String in, int hidden) {
        int c = channels(in);
        String pooled = add(name + "_se_pool", new Op.GlobalAvgPool(), in);
        String squeeze = add(name + "_se_reduce", new Op.Dense(hidden, true), pooled);
        String a = add(name + "_se_" + activation.key(), new Op.Act(activation), squeeze);
        String expand = add(name + "_se_expand", new Op.Dense(c, true), a);
        String gate = add(name + "_se_sigmoid", new Op.Act(Activation.SIGMOID), expand);
        return add(name + "_se_scale", new Op.SeScale(), in, gate);
    }

    OpGraph build() {
        return OpGraph.of(input, nodes);
    }
}
