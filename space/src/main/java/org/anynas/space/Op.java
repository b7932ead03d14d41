package org.anynas.space;

/**
 * One operation of the explicit architecture graph. The evaluator and exporters translate these ops, never
 * block semantics, so every block type reduces to this small vocabulary.
 */
public sealed interface Op {

    /** Short name used in summaries and DOT output. */
    String kind();

    /**
     * 2-D convolution with {@code groups} g, which divides both the input channels and {@code filters}: each group
     * of C_in/g input channels makes filters/g outputs. g = 1 is a full convolution, g = C_in a depthwise one (with
     * multiplier {@code filters / groups}), anything between a grouped one (ResNeXt, AnyNet's X block). Which of
     * these it is depends on the input, so the graph names it ({@link OpGraph#kind(Node)}); the backends translate
     * depthwise and full convolutions as they always did.
     */
    record Conv(int filters, int kernel, int stride, int padding, int groups, boolean bias) implements Op {
        public Conv {
            positive("filters", filters);
            positive("kernel", kernel);
            positive("stride", stride);
            if (padding < 0) throw new UserInputException("conv padding must be >= 0, got " + padding);
            positive("groups", groups);
        }

        /** One input channel per group (and more than one group): DL4J's and ONNX's depthwise layout. */
        public boolean depthwise(int inputChannels) {
            return groups > 1 && groups == inputChannels;
        }

        /** Between full and depthwise: 1 &lt; groups &lt; input channels. */
        public boolean grouped(int inputChannels) {
            return groups > 1 && groups < inputChannels;
        }

        /** "conv", "dwconv" or "gconv" for this input width. */
        public String kind(int inputChannels) {
            return groups == 1 ? "conv" : depthwise(inputChannels) ? "dwconv" : "gconv";
        }

        /** Without the input width: "conv" for g = 1, else "gconv"; {@link OpGraph#kind(Node)} tells depthwise apart. */
        @Override
        public String kind() {
            return groups == 1 ? "conv" : "gconv";
        }
    }

    record BatchNorm() implements Op {
        @Override
        public String kind() {
            return "bn";
        }
    }

    record Act(Activation function) implements Op {
        @Override
        public String kind() {
            return function.key();
        }
    }

    enum PoolKind { MAX, AVG }

    record Pool(PoolKind type, int kernel, int stride, int padding) implements Op {
        public Pool {
            positive("pool kernel", kernel);
            positive("pool stride", stride);
            if (padding < 0) throw new UserInputException("pool padding must be >= 0, got " + padding);
        }

        @Override
        public String kind() {
            return type == PoolKind.MAX ? "maxpool" : "avgpool";
        }
    }

    /** Global average pooling: feature map → vector of its channels. */
    record GlobalAvgPool() implements Op {
        @Override
        public String kind() {
            return "gap";
        }
    }

    /** Element-wise sum of inputs of identical shape (residual connections). */
    record Add() implements Op {
        @Override
        public String kind() {
            return "add";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** Channel concatenation of feature maps with identical height and width. */
    record Concat() implements Op {
        @Override
        public String kind() {
            return "concat";
        }

        @Override
        public int arity() {
            return -1;
        }
    }

    /** Squeeze-and-excitation scale: input 0 is a feature map [C×H×W], input 1 a gate vector [C]. */
    record SeScale() implements Op {
        @Override
        public String kind() {
            return "se_scale";
        }

        @Override
        public int arity() {
            return 2;
        }
    }

    /** Fully connected layer; a feature map input is flattened (the head always pools first). */
    record Dense(int units, boolean bias) implements Op {
        public Dense {
            positive("dense units", units);
        }

        @Override
        public String kind() {
            return "dense";
        }
    }

    record Dropout(double rate) implements Op {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) throw new UserInputException("dropout rate must be in [0, 1), got " + rate);
        }

        @Override
        public String kind() {
            return "dropout";
        }
    }

    /** Final fully connected layer with softmax over {@code classes}. */
    record Classifier(int classes) implements Op {
        public Classifier {
            if (classes < 2) throw new UserInputException("classes must be >= 2, got " + classes);
        }

        @Override
        public String kind() {
            return "classifier";
        }
    }

    /** How many inputs this op takes: exactly that many, or -1 for two or more. */
    default int arity() {
        return 1;
    }

    private static void positive(String what, int value) {
        if (value < 1) throw new UserInputException(what + " must be >= 1, got " + value);
    }

}
