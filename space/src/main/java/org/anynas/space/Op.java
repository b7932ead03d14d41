package org.anynas.space;

/**
 * One operation of the explicit architecture graph. The evaluator and exporters translate these ops, never
 * block semantics, so every block type reduces to this small vocabulary.
 */
public sealed interface Op {

    /** Short name used in summaries and DOT output. */
    String kind();

    /**
     * 2-D convolution. {@code groups == 1} is a full convolution, {@code groups == input channels} a depthwise
     * one (with multiplier {@code filters / groups}); other group counts are not part of the space.
     */
    record Conv(int filters, int kernel, int stride, int padding, int groups, boolean bias) implements Op {
        public Conv {
            positive("filters", filters);
            positive("kernel", kernel);
            positive("stride", stride);
            if (padding < 0) throw new UserInputException("conv padding must be >= 0, got " + padding);
            positive("groups", groups);
        }

        public boolean depthwise() {
            return groups > 1;
        }

        @Override
        public String kind() {
            return depthwise() ? "dwconv" : "conv";
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
