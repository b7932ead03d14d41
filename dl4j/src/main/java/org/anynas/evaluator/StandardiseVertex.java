package org.anynas.evaluator;

import org.anynas.dl4j.Standardisation;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The first vertex of an exported DL4J model: (x − mean[c]) / std[c] on an NCHW image in [0, 1], so that
 * {@code model.zip} takes the same raw input as {@code model.onnx}. Mean and std are bean properties (JSON in
 * the zip's configuration), not parameters: the flat parameter vector stays that of the trained network.
 */
public class StandardiseVertex extends GraphVertex {
    private double[] mean;
    private double[] std;

    public StandardiseVertex() {
    }

    public StandardiseVertex(Standardisation s) {
        this.mean = toDoubles(s.mean());
        this.std = toDoubles(s.std());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    public double[] getMean() {
        return mean;
    }

    public void setMean(double[] mean) {
        this.mean = mean;
    }

    public double[] getStd() {
        return std;
    }

    public void setStd(double[] std) {
        this.std = std;
    }

    @Override
    public StandardiseVertex clone() {
        StandardiseVertex v = new StandardiseVertex();
        v.mean = mean.clone();
        v.std = std.clone();
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandardiseVertex v && Arrays.equals(mean, v.mean) && Arrays.equals(std, v.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        float[] m = new float[mean.length];
        float[] s = new float[std.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) mean[i];
            s[i] = (float) std[i];
        }
        return new StandardiseVertexImpl(graph, name, idx, networkDatatype, m, s);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 1 || !(inputs[0] instanceof InputType.InputTypeConvolutional map)) {
            throw new InvalidInputTypeException("StandardiseVertex takes one image input");
        }
        if (map.getChannels() != mean.length) {
            throw new InvalidInputTypeException("image has " + map.getChannels() + " channels, standardisation " + mean.length);
        }
        return inputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, StandardiseVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
