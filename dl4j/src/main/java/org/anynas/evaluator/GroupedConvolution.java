package org.anynas.evaluator;


import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A grouped 2-D convolution (PyTorch's {@code groups}, ONNX's {@code group}) as a DL4J layer configuration:
 * DL4J 1.0.0-M2.1 has none, and libnd4j's {@code conv2d} takes no group count (its Conv2DConfig holds kernel,
 * stride, padding, dilation, mode and formats only). Everything but the weights is DL4J's ConvolutionLayer
 * (output type, formats, JSON); the weights are [nOut, nIn/groups, kH, kW], PyTorch's and ONNX's layout, and the
 * computation is {@link GroupedConvolutionLayer}. Truncate mode, no dilation, identity activation: what
 * GraphTranslator builds. A bean property {@code groups}, so networks holding it save and load.
 */
public class GroupedConvolution extends ConvolutionLayer {
    private int groups = 1;

    /** For DL4J's JSON. */
    public GroupedConvolution() {
    }

    private GroupedConvolution(Builder b) {
        super(b);
        this.groups = b.groups;
        if (!(getActivationFn() == null || getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("a grouped convolution has the identity activation");
        }
    }

    public int getGroups() {
        return groups;
    }

    public void setGroups(int groups) {
        this.groups = groups;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        if (getNIn() % groups != 0 || getNOut() % groups != 0) {
            throw new IllegalStateException("groups " + groups + " must divide nIn " + getNIn() + " and nOut " + getNOut());
        }
        if (getConvolutionMode() != ConvolutionMode.Truncate && getConvolutionMode() != ConvolutionMode.Strict) {
            throw new IllegalStateException("grouped convolution supports explicit padding only, not " + getConvolutionMode());
        }
        for (int d : getDilation()) {
            if (d != 1) throw new IllegalStateException("grouped convolution has no dilation");
        }
        GroupedConvolutionLayer layer = new GroupedConvolutionLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GroupedConvolutionParams.INSTANCE;
    }

    @Override
    public GroupedConvolution clone() {
        return (GroupedConvolution) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupedConvolution g && g.groups == groups && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + groups;
    }

    public static final class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {
        private final int groups;

        public Builder(int kernel, int groups) {
            super(new int[]{kernel, kernel}, new int[]{1, 1}, new int[]{0, 0});
            if (groups < 1) throw new IllegalArgumentException("groups must be >= 1, got " + groups);
            this.groups = groups;
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GroupedConvolution build() {
            return new GroupedConvolution(this);
        }
    }
}
