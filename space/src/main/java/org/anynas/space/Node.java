package org.anynas.space;

import java.util.List;

/** A named op applied to the outputs of named earlier nodes ("input" is the network input). */
public record Node(String name, Op op, List<String> inputs) {

    public Node {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("node name must not be blank");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) throw new IllegalArgumentException("node " + name + " has no inputs");
    }

    public static Node of(String name, Op op, String... inputs) {
        return new Node(name, op, List.of(inputs));
    }
}
