package org.anynas.space;

import java.util.List;

/** The head: global average pooling, then 0–2 hidden dense layers with dropout, then the classifier. */
public record Head(List<Integer> hidden, double dropout) {
    public Head {
        if (hidden == null) throw new UserInputException("head.hidden must be a list (may be empty)");
        hidden = List.copyOf(hidden);
        if (hidden.size() > 2) throw new UserInputException("head.hidden has " + hidden.size() + " layers, at most 2 allowed");
        for (int i = 0; i < hidden.size(); i++) Fields.range("head.hidden[" + i + "]", hidden.get(i), 1, 65536);
        if (!(dropout >= 0 && dropout < 1)) throw new UserInputException("head.dropout must be in [0, 1), got " + dropout);
    }

    public static Head of(double dropout, Integer... hidden) {
        return new Head(List.of(hidden), dropout);
    }

    /** {@code layers} hidden layers of one width (how the spaces' head genes decode). */
    public static Head repeated(double dropout, int layers, int width) {
        return new Head(java.util.Collections.nCopies(layers, width), dropout);
    }
}
