package org.anynas.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The op graph as the PyTorch worker receives it: every node in order, with its op's attributes, shape and count. */
class OpGraphJsonTest {

    @Test
    void everyNodeInGraphOrderWithItsInputsShapeParametersAndAttributes() throws Exception {
        Architecture a = Architecture.of(Shape.of(1, 28, 28), 10, Activation.SILU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.INCEPTION, 1, 16).withSe(0.25).withDownsample(Downsample.AVG_POOL),
                        Stage.of(BlockType.INVERTED, 1, 16).withBottleneck(2).withDownsample(Downsample.NONE), Stage.of(BlockType.DENSE, 1, 8)),
                Head.of(0.2, 12));
        OpGraph g = a.graph();
        JsonNode root = Json.json().readTree(OpGraphJson.write(g));
        assertThat(root.get("format").asText()).isEqualTo("anynas-op-graph");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("input").toString()).isEqualTo("[1,28,28]");
        JsonNode nodes = root.get("nodes");
        assertThat(nodes).hasSize(g.nodes().size());
        long params = 0;
        Set<String> ops = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            LayerStats s = g.layers().get(i);
            assertThat(n.get("name").asText()).isEqualTo(s.node().name());
            List<String> inputs = new ArrayList<>();
            n.get("inputs").forEach(x -> inputs.add(x.asText()));
            assertThat(inputs).isEqualTo(s.node().inputs());
            assertThat(n.get("params").asLong()).isEqualTo(s.params());
            Shape out = s.output();
            assertThat(n.get("shape").toString()).isEqualTo(out.flat() ? "[" + out.channels() + "]"
                    : "[" + out.channels() + "," + out.height() + "," + out.width() + "]");
            params += n.get("params").asLong();
            ops.add(n.get("op").asText());
        }
        assertThat(params).isEqualTo(g.params());
        assertThat(ops).containsExactlyInAnyOrder("conv", "bn", "act", "pool", "gap", "add", "concat", "se_scale",
                "dense", "dropout", "classifier");
        // inverted block, bottleneck 2 on 16 channels: a 3×3 depthwise conv over 32, after the first stage's 2×2 pool
        assertThat(node(nodes, "s2b1_dw_conv")).isEqualTo(Json.json().readTree("""
                {"name": "s2b1_dw_conv", "op": "conv", "inputs": ["s2b1_expand_silu"], "shape": [32, 14, 14], "params": 288,
                 "filters": 32, "kernel": 3, "stride": 1, "padding": 1, "groups": 32, "bias": false}"""));
        assertThat(node(nodes, "s1b1_b4_pool").toString()).contains("\"type\":\"max\",\"kernel\":3,\"stride\":1,\"padding\":1");
        assertThat(node(nodes, "s1b1_se_sigmoid").get("function").asText()).isEqualTo("sigmoid");
        assertThat(node(nodes, "head_fc1").toString()).contains("\"units\":12,\"bias\":true");
        assertThat(node(nodes, "head_fc1_dropout").get("rate").asDouble()).isEqualTo(0.2);
        assertThat(node(nodes, "classifier").get("classes").asInt()).isEqualTo(10);
    }

    private static ObjectNode node(JsonNode nodes, String name) {
        for (JsonNode n : nodes) if (n.get("name").asText().equals(name)) return (ObjectNode) n;
        throw new AssertionError("no node " + name);
    }
}
