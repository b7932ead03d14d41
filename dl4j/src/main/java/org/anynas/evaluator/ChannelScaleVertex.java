package org.anynas.evaluator;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Squeeze-and-excitation's channel-wise scale as a native DL4J vertex: input 0 is a feature map [N,C,H,W],
 * input 1 a gate [N,C]; the output is the map with every channel multiplied by its gate value. Written as
 * a vertex because DL4J M2.1's SameDiffLambdaVertex doubles every upstream gradient. JSON-serialisable
 * (no fields), so models containing it save and load.
 */
public class ChannelScaleVertex extends GraphVertex {
    /** false: maps are [N,C,H,W]; true: [N,H,W,C]. A bean property, so it round-trips through DL4J's JSON. */
    private boolean channelsLast;

    public ChannelScaleVertex() {
    }

    public ChannelScaleVertex(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    public boolean isChannelsLast() {
        return channelsLast;
    }

    public void setChannelsLast(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    @Override
    public ChannelScaleVertex clone() {
        return new ChannelScaleVertex(channelsLast);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelScaleVertex v && v.channelsLast == channelsLast;
    }

    @Override
    public int hashCode() {
        return ChannelScaleVertex.class.getName().hashCode() + (channelsLast ? 1 : 0);
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new ChannelScaleVertexImpl(graph, name, idx, networkDatatype, channelsLast);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || inputs[0].getType() != InputType.Type.CNN) {
            throw new InvalidInputTypeException("ChannelScaleVertex takes a CNN feature map and a gate vector");
        }
        InputType.InputTypeConvolutional map = (InputType.InputTypeConvolutional) inputs[0];
        long gate = inputs[1].arrayElementsPerExample();
        if (gate != map.getChannels()) {
            throw new InvalidInputTypeException("gate has " + gate + " values for " + map.getChannels() + " channels");
        }
        return inputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, ChannelScaleVertex.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
