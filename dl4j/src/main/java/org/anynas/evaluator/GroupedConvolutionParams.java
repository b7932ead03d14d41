package org.anynas.evaluator;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a {@link GroupedConvolution}, in DL4J's convolution order and names: bias "b" [nOut] (if any),
 * then weights "W" [nOut, nIn/groups, kH, kW] (c order). Weights are initialised with the fan-in and fan-out
 * of one group, (nIn/groups)·kH·kW and (nOut/groups)·kH·kW, as PyTorch does; biases with the layer's bias init.
 */
final class GroupedConvolutionParams implements ParamInitializer {
    static final GroupedConvolutionParams INSTANCE = new GroupedConvolutionParams();
    static final String W = ConvolutionParamInitializer.WEIGHT_KEY;
    static final String B = ConvolutionParamInitializer.BIAS_KEY;

    private GroupedConvolutionParams() {
    }

    private static GroupedConvolution conf(Layer layer) {
        return (GroupedConvolution) layer;
    }

    static long[] weightShape(GroupedConvolution c) {
        int[] k = c.getKernelSize();
        return new long[]{c.getNOut(), c.getNIn() / c.getGroups(), k[0], k[1]};
    }

    private static long weights(GroupedConvolution c) {
        long[] s = weightShape(c);
        return s[0] * s[1] * s[2] * s[3];
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GroupedConvolution c = conf(layer);
        return weights(c) + (c.hasBias() ? c.getNOut() : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return conf(layer).hasBias() ? List.of(B, W) : List.of(W);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(W);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return conf(layer).hasBias() ? List.of(B) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return W.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return B.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        GroupedConvolution c = conf(conf.getLayer());
        Map<String, INDArray> views = split(c, view);
        if (initialize) {
            long[] s = weightShape(c);
            double fanIn = s[1] * s[2] * s[3];
            double fanOut = (double) s[0] / c.getGroups() * s[2] * s[3];
            c.getWeightInitFn().init(fanIn, fanOut, s, 'c', views.get(W));
            if (c.hasBias()) views.get(B).assign(c.getBiasInit());
        }
        conf.addVariable(W);
        if (c.hasBias()) conf.addVariable(B);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return split(conf(conf.getLayer()), view);
    }

    /** Views of DL4J's [1, numParams] row, as ConvolutionParamInitializer makes them. */
    private static Map<String, INDArray> split(GroupedConvolution c, INDArray view) {
        INDArray row = view.rank() == 2 ? view : view.reshape(1, view.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        if (c.hasBias()) {
            out.put(B, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, c.getNOut())));
            offset = c.getNOut();
        }
        INDArray w = row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(offset, offset + weights(c)));
        out.put(W, w.reshape('c', weightShape(c)));
        return out;
    }
}
