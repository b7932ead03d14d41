package org.anynas.dl4j.onnx;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * An ONNX graph under construction through the protobuf classes nd4j-api carries: nodes, float and int64
 * initializers (raw little-endian data, as the ONNX spec stores tensors), and node attributes.
 */
final class OnnxGraph {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();

    static OnnxGraph named(String name) {
        OnnxGraph g = new OnnxGraph();
        g.graph.setName(name);
        return g;
    }

    /** A float32 constant; returns its name. */
    String floats(String name, long[] dims, float[] data) {
        long count = 1;
        for (long d : dims) count *= d;
        if (count != data.length) throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + List.of(dims));
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** An int64 constant (shapes, axes); returns its name. */
    String longs(String name, long... data) {
        ByteBuffer raw = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(data);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name).addDims(data.length)
                .setDataType(Onnx.TensorProto.DataType.INT64.getNumber()).setRawData(ByteString.copyFrom(raw.array())));
        return name;
    }

    /** Adds a node named {@code output} whose single output is the tensor {@code output}; returns it. */
    String node(String opType, String output, List<String> inputs, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(opType).setName(output).addOutput(output);
        n.addAllInput(inputs);
        for (Onnx.AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    /** A float32 graph input or output; a negative dimension is symbolic ({@code batch}). */
    static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    void input(Onnx.ValueInfoProto v) {
        graph.addInput(v);
    }

    void output(Onnx.ValueInfoProto v) {
        graph.addOutput(v);
    }

    Onnx.GraphProto build() {
        return graph.build();
    }

    static Onnx.AttributeProto string(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static Onnx.AttributeProto real(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
