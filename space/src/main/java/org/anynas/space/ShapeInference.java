package org.anynas.space;

import java.util.List;

/**
 * Shape, parameter and MAC rules for each op. Conv and pooling use out = floor((N − F + 2P) / S) + 1.
 * MACs count multiply-accumulates of convolutions and dense layers only (the pycls/torchvision "FLOPs"). A conv
 * with g groups has k·k·(C_in/g)·C_out weights (+ C_out biases) and as many MACs per output position.
 */
final class ShapeInference {

    private ShapeInference() {
    }

    static LayerStats infer(Node node, List<Shape> in) {
        Op op = node.op();
        int arity = op.arity();
        if (arity > 0 && in.size() != arity) {
            throw invalid(node, null, "takes " + arity + " input(s), got " + in.size());
        }
        if (arity < 0 && in.size() < 2) {
            throw invalid(node, null, "takes two or more inputs, got " + in.size());
        }
        Shape x = in.get(0);
        if (op instanceof Op.Conv c) {
            requireMap(node, x);
            if (x.channels() % c.groups() != 0 || c.filters() % c.groups() != 0) {
                throw invalid(node, x, "groups " + c.groups() + " must divide input channels " + x.channels()
                        + " and filters " + c.filters());
            }
            Shape out = Shape.of(c.filters(), spatial(node, x, x.height(), c.kernel(), c.padding(), c.stride()),
                    spatial(node, x, x.width(), c.kernel(), c.padding(), c.stride()));
            long weights = (long) c.kernel() * c.kernel() * (x.channels() / c.groups()) * c.filters();
            long params = weights + (c.bias() ? c.filters() : 0);
            long macs = weights * out.height() * out.width();
            return new LayerStats(node, out, params, 0, macs, out.elements());
        }
        if (op instanceof Op.BatchNorm) {
            return new LayerStats(node, x, 2L * x.channels(), 2L * x.channels(), 0, x.elements());
        }
        if (op instanceof Op.Act || op instanceof Op.Dropout) {
            return new LayerStats(node, x, 0, 0, 0, x.elements());
        }
        if (op instanceof Op.Pool p) {
            requireMap(node, x);
            Shape out = Shape.of(x.channels(), spatial(node, x, x.height(), p.kernel(), p.padding(), p.stride()),
                    spatial(node, x, x.width(), p.kernel(), p.padding(), p.stride()));
            return new LayerStats(node, out, 0, 0, 0, out.elements());
        }
        if (op instanceof Op.GlobalAvgPool) {
            requireMap(node, x);
            return new LayerStats(node, Shape.vector(x.channels()), 0, 0, 0, x.channels());
        }
        if (op instanceof Op.Add) {
            for (Shape s : in) {
                if (!s.equals(x)) throw invalid(node, x, "branches disagree: " + in + " cannot be added");
            }
            return new LayerStats(node, x, 0, 0, 0, x.elements());
        }
        if (op instanceof Op.Concat) {
            int channels = 0;
            for (Shape s : in) {
                requireMap(node, s);
                if (s.height() != x.height() || s.width() != x.width()) {
                    throw invalid(node, x, "branches disagree in height×width: " + in);
                }
                channels += s.channels();
            }
            Shape out = Shape.of(channels, x.height(), x.width());
            return new LayerStats(node, out, 0, 0, 0, out.elements());
        }
        if (op instanceof Op.SeScale) {
            requireMap(node, x);
            Shape gate = in.get(1);
            if (!gate.flat() || gate.channels() != x.channels()) {
                throw invalid(node, x, "gate " + gate + " does not match feature map " + x);
            }
            return new LayerStats(node, x, 0, 0, 0, x.elements());
        }
        if (op instanceof Op.Dense d) {
            long inputs = x.elements();
            long params = inputs * d.units() + (d.bias() ? d.units() : 0);
            return new LayerStats(node, Shape.vector(d.units()), params, 0, inputs * d.units(), d.units());
        }
        if (op instanceof Op.Classifier c) {
            long inputs = x.elements();
            return new LayerStats(node, Shape.vector(c.classes()), inputs * c.classes() + c.classes(), 0,
                    inputs * c.classes(), c.classes());
        }
        throw invalid(node, x, "unknown op " + op);
    }

    private static int spatial(Node node, Shape x, int size, int kernel, int padding, int stride) {
        int numerator = size - kernel + 2 * padding;
        if (numerator < 0) {
            throw invalid(node, x, "feature map " + size + " is smaller than kernel " + kernel
                    + " with padding " + padding + " (would shrink below 1×1)");
        }
        return numerator / stride + 1;
    }

    private static void requireMap(Node node, Shape s) {
        if (s.flat()) throw invalid(node, s, "needs a feature map, got vector " + s);
    }

    private static InvalidArchitectureException invalid(Node node, Shape in, String why) {
        // a conv's kind depends on its input width (dwconv, gconv, conv), as in the layer table
        Op op = node.op();
        String kind = op instanceof Op.Conv c && in != null ? c.kind(in.channels()) : op.kind();
        return new InvalidArchitectureException("node '" + node.name() + "' (" + kind + "): " + why);

    }
}
