package org.anynas.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An architecture as an explicit graph of ops in topological order, with shapes, parameters and MACs
 * inferred exactly on construction. The last node is the output.
 */
public final class OpGraph {

    public static final String INPUT = "input";

    private final Shape input;
    private final List<Node> nodes;
    private final List<LayerStats> stats;
    private final Map<String, LayerStats> byName;

    private OpGraph(Shape input, List<Node> nodes) {
        this.input = input;
        this.nodes = List.copyOf(nodes);
        this.byName = new LinkedHashMap<>();
        List<LayerStats> out = new ArrayList<>(nodes.size());
        Map<String, Shape> shapes = new HashMap<>();
        shapes.put(INPUT, input);
        for (Node node : nodes) {
            if (shapes.containsKey(node.name())) {
                throw new InvalidArchitectureException("duplicate node name '" + node.name() + "'");
            }
            List<Shape> in = new ArrayList<>(node.inputs().size());
            for (String name : node.inputs()) {
                Shape s = shapes.get(name);
                if (s == null) {
                    throw new InvalidArchitectureException(
                            "node '" + node.name() + "' reads '" + name + "', which is not defined before it");
                }
                in.add(s);
            }
            LayerStats st = ShapeInference.infer(node, in);
            shapes.put(node.name(), st.output());
            out.add(st);
            byName.put(node.name(), st);
        }
        if (nodes.isEmpty()) throw new InvalidArchitectureException("graph has no nodes");
        this.stats = Collections.unmodifiableList(out);
    }

    /** Builds and checks a graph; throws {@link InvalidArchitectureException} saying where it breaks. */
    public static OpGraph of(Shape input, List<Node> nodes) {
        return new OpGraph(input, nodes);
    }

    public Shape input() {
        return input;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<LayerStats> layers() {
        return stats;
    }

    public LayerStats layer(String name) {
        LayerStats s = byName.get(name);
        if (s == null) throw new IllegalArgumentException("no node named '" + name + "'");
        return s;
    }

    /** Output shape of a node, or the input shape for {@link #INPUT}. */
    public Shape shapeOf(String name) {
        return INPUT.equals(name) ? input : layer(name).output();
    }

    /** The node's op name in tables and drawings; a conv's (conv, dwconv, gconv) depends on its input width. */
    public String kind(Node node) {
        return node.op() instanceof Op.Conv c ? c.kind(shapeOf(node.inputs().get(0)).channels()) : node.op().kind();
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    public Shape outputShape() {
        return stats.get(stats.size() - 1).output();
    }

    public long params() {
        return stats.stream().mapToLong(LayerStats::params).sum();
    }

    public long bnStatistics() {
        return stats.stream().mapToLong(LayerStats::bnStatistics).sum();
    }

    public long macs() {
        return stats.stream().mapToLong(LayerStats::macs).sum();
    }

    /** Output activations of every node plus the input, per example. */
    public long activations() {
        return stats.stream().mapToLong(LayerStats::activations).sum();
    }
}
