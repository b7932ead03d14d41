package org.anynas.space;

/**
 * The block types of the space. Each is a small named builder: given the block's input node, the stage
 * and the block's stride, it appends its ops and returns its output node.
 */
public enum BlockType {
    /** conv → BN → act (chain-structured, VGG-like) */
    PLAIN {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            String x = g.convBnAct(name + "_a", in, s.width(), s.kernel(), stride, 1);
            return s.hasSe() ? g.se(name, x, s.se()) : x;
        }
    },
    /** basic residual block: two k×k convs, 1×1 projection shortcut when the shape changes */
    RESIDUAL {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            String x = g.convBnAct(name + "_a", in, s.width(), s.kernel(), stride, 1);
            x = g.convBn(name + "_b", x, s.width(), s.kernel(), 1, 1);
            if (s.hasSe()) x = g.se(name, x, s.se());
            return g.act(name + "_out", g.add(name + "_add", new Op.Add(), x, shortcut(g, name, in, s.width(), stride)));
        }
    },
    /** 1×1 reduce → k×k (full or depthwise) → 1×1 expand, with shortcut (SE after the expand) */
    BOTTLENECK {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            int inner = innerWidth(s.width(), s.bottleneck());
            String x = g.convBnAct(name + "_a", in, inner, 1, 1, 1);
            x = g.convBnAct(name + "_b", x, inner, s.kernel(), stride, s.depthwise() ? inner : 1);
            x = g.convBn(name + "_c", x, s.width(), 1, 1, 1);
            if (s.hasSe()) x = g.se(name, x, s.se());
            return g.act(name + "_out", g.add(name + "_add", new Op.Add(), x, shortcut(g, name, in, s.width(), stride)));
        }
    },
    /**
     * The X block of AnyNetX/RegNetX (Radosavovic et al. 2020; with SE it is the Y block), as pycls and torchvision
     * build it: 1×1 → BN → act to the inner width w_b = round(width × bottleneck), k×k grouped conv with w_b / g
     * groups carrying the stride → BN → act, SE on w_b with hidden round(block input × se), 1×1 → BN to width;
     * 1×1 strided projection + BN shortcut when the shape changes; add; act.
     */
    X {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            int inner = innerWidth(s.width(), s.bottleneck());
            int cin = g.channels(in);
            String x = g.convBnAct(name + "_a", in, inner, 1, 1, 1);
            x = g.convBnAct(name + "_b", x, inner, s.kernel(), stride, inner / s.groupWidth());
            if (s.hasSe()) x = g.se(name, x, Math.max(1, (int) Math.round(cin * s.se())));
            x = g.convBn(name + "_c", x, s.width(), 1, 1, 1);
            return g.act(name + "_out", g.add(name + "_add", new Op.Add(), x, shortcut(g, name, in, s.width(), stride)));
        }
    },
    /** MobileNetV2 inverted residual: 1×1 expand → depthwise k×k → 1×1 project, residual when shapes match */
    INVERTED {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            int cin = g.channels(in);
            int expanded = innerWidth(cin, s.bottleneck());
            String x = expanded == cin ? in : g.convBnAct(name + "_expand", in, expanded, 1, 1, 1);
            x = g.convBnAct(name + "_dw", x, expanded, s.kernel(), stride, expanded);
            if (s.hasSe()) x = g.se(name, x, s.se());
            x = g.convBn(name + "_project", x, s.width(), 1, 1, 1);
            boolean residual = stride == 1 && cin == s.width();
            return residual ? g.add(name + "_add", new Op.Add(), x, in) : x;
        }
    },
    /** DenseNet layer: conv → BN → act producing {@code width} new channels, concatenated to its input */
    DENSE {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            if (stride != 1) {
                // DenseNet transition: 1×1 conv, then pooling, before the dense layers of this stage
                Op.PoolKind kind = s.downsample() == Downsample.MAX_POOL ? Op.PoolKind.MAX : Op.PoolKind.AVG;
                in = g.add(name + "_transition_pool", new Op.Pool(kind, 2, 2, 0),
                        g.convBnAct(name + "_transition", in, s.width(), 1, 1, 1));
            }
            String x = g.convBnAct(name + "_a", in, s.width(), s.kernel(), 1, 1);
            if (s.hasSe()) x = g.se(name, x, s.se());
            return g.add(name + "_concat", new Op.Concat(), in, x);
        }
    },
    /** parallel 1×1, 1×1→k×k, 1×1→k×k→k×k (a 5×5 field for k = 3) and pool→1×1 branches, concatenated */
    INCEPTION {
        @Override
        String build(GraphWriter g, String name, String in, Stage s, int stride) {
            int quarter = Math.max(1, s.width() / 4);
            int first = Math.max(1, s.width() - 3 * quarter);
            int k = s.kernel();
            String b1 = g.convBnAct(name + "_b1", in, first, 1, stride, 1);
            String b2 = g.convBnAct(name + "_b2b", g.convBnAct(name + "_b2a", in, quarter, 1, 1, 1),
                    quarter, k, stride, 1);
            String b3 = g.convBnAct(name + "_b3a", in, quarter, 1, 1, 1);
            b3 = g.convBnAct(name + "_b3b", b3, quarter, k, 1, 1);
            b3 = g.convBnAct(name + "_b3c", b3, quarter, k, stride, 1);
            String pool = g.add(name + "_b4_pool", new Op.Pool(Op.PoolKind.MAX, 3, stride, 1), in);
            String b4 = g.convBnAct(name + "_b4", pool, quarter, 1, 1, 1);
            String x = g.add(name + "_concat", new Op.Concat(), b1, b2, b3, b4);
            return s.hasSe() ? g.se(name, x, s.se()) : x;
        }
    };

    abstract String build(GraphWriter g, String name, String in, Stage stage, int stride);

    /** Whether the stage's bottleneck gene changes the network for this block type. */
    public boolean usesBottleneck() {
        return this == BOTTLENECK || this == INVERTED || this == X;
    }

    /** The dense block grows its input instead of replacing it, so the stage decides its own downsampling. */
    boolean downsamplesItself() {
        return this == DENSE;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static int innerWidth(int width, double multiplier) {
        return Math.max(1, (int) Math.round(width * multiplier));
    }

    private static String shortcut(GraphWriter g, String name, String in, int width, int stride) {
        if (stride == 1 && g.channels(in) == width) return in;
        return g.convBn(name + "_proj", in, width, 1, stride, 1);
    }
}
