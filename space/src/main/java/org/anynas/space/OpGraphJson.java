package org.anynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@link OpGraph} as JSON, the form the PyTorch worker builds its network from ({@code anynas_torch.graph}):
 *
 * <pre>
 * {"format": "anynas-op-graph", "version": 1, "input": [C, H, W],
 *  "nodes": [{"name": "stem_conv", "op": "conv", "inputs": ["input"], "shape": [16, 28, 28], "params": 144,
 *             "filters": 16, "kernel": 3, "stride": 1, "padding": 1, "groups": 1, "bias": false}, ...]}
 * </pre>
 *
 * Nodes come in graph order (topological; the last is the output). Every node has {@code name}, {@code op},
 * {@code inputs} (names of earlier nodes or "input"), {@code shape} (its output per example: [C, H, W], or [C] for a
 * vector) and {@code params} (its trainable parameter count, {@link LayerStats#params()}), plus its op's attributes:
 * conv: filters, kernel, stride, padding, groups (1: full; the input's channels: depthwise; a divisor of both widths
 * between: grouped, k·k·(C_in/groups)·filters weights), bias; bn: none (ε 1e-5, momentum 0.1 as DL4J's defaults);
 * act: function (relu, leaky_relu, elu, silu, sigmoid); pool: type (max, avg), kernel, stride, padding; gap, add,
 * concat, se_scale: none; dense: units, bias; dropout: rate; classifier: classes (logits; softmax is the loss's).
 */
public final class OpGraphJson {
    public static final String FORMAT = "anynas-op-graph";
    public static final int VERSION = 1;

    private OpGraphJson() {
    }

    public static ObjectNode tree(OpGraph graph) {
        ObjectNode root = Json.json().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.set("input", shape(graph.input()));
        ArrayNode nodes = root.putArray("nodes");
        for (LayerStats s : graph.layers()) {
            Node node = s.node();
            ObjectNode n = nodes.addObject();
            n.put("name", node.name());
            n.put("op", opName(node.op()));
            ArrayNode inputs = n.putArray("inputs");
            node.inputs().forEach(inputs::add);
            n.set("shape", shape(s.output()));
            n.put("params", s.params());
            attributes(node.op(), n);
        }
        return root;
    }

    /** The graph as one line of JSON. */
    public static String write(OpGraph graph) {
        try {
            return Json.json().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(tree(graph));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode shape(Shape s) {
        ArrayNode a = Json.json().createArrayNode();
        a.add(s.channels());
        if (!s.flat()) a.add(s.height()).add(s.width());
        return a;
    }

    static String opName(Op op) {
        if (op instanceof Op.Conv) return "conv";
        if (op instanceof Op.BatchNorm) return "bn";
        if (op instanceof Op.Act) return "act";
        if (op instanceof Op.Pool) return "pool";
        if (op instanceof Op.GlobalAvgPool) return "gap";
        if (op instanceof Op.Add) return "add";
        if (op instanceof Op.Concat) return "concat";
        if (op instanceof Op.SeScale) return "se_scale";
        if (op instanceof Op.Dense) return "dense";
        if (op instanceof Op.Dropout) return "dropout";
        if (op instanceof Op.Classifier) return "classifier";
        throw new IllegalArgumentException("no JSON form for op " + op);
    }

    private static void attributes(Op op, ObjectNode n) {
        if (op instanceof Op.Conv c) {
            n.put("filters", c.filters()).put("kernel", c.kernel()).put("stride", c.stride())
                    .put("padding", c.padding()).put("groups", c.groups()).put("bias", c.bias());
        } else if (op instanceof Op.Act a) {
            n.put("function", a.function().key());
        } else if (op instanceof Op.Pool p) {
            n.put("type", p.type() == Op.PoolKind.MAX ? "max" : "avg").put("kernel", p.kernel())
                    .put("stride", p.stride()).put("padding", p.padding());
        } else if (op instanceof Op.Dense d) {
            n.put("units", d.units()).put("bias", d.bias());
        } else if (op instanceof Op.Dropout d) {
            n.put("rate", d.rate());
        } else if (op instanceof Op.Classifier c) {
            n.put("classes", c.classes());
        }
    }
}
