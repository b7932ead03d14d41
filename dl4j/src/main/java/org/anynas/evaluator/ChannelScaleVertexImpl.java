package org.anynas.evaluator;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime side of {@link ChannelScaleVertex}: y = x ⊙ g, dx = ε ⊙ g, dg = Σ_hw ε ⊙ x. */
final class ChannelScaleVertexImpl extends BaseGraphVertex {

    private final int channelAxis;
    private final int[] spatialAxes;

    ChannelScaleVertexImpl(ComputationGraph graph, String name, int index, DataType dataType, boolean channelsLast) {
        super(graph, name, index, null, null, dataType);
        this.channelAxis = channelsLast ? 3 : 1;
        this.spatialAxes = channelsLast ? new int[]{1, 2} : new int[]{2, 3};
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) throw new IllegalStateException("ChannelScaleVertex " + vertexName + ": inputs not set");
        INDArray map = inputs[0];
        INDArray gate = inputs[1];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, map.dataType(), map.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(map, gate, out, 0, channelAxis));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) throw new IllegalStateException("ChannelScaleVertex " + vertexName + ": errors not set");
        INDArray map = inputs[0];
        INDArray gate = inputs[1];
        INDArray dMap = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, gate, dMap, 0, channelAxis));
        INDArray dGate;
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            dGate = epsilon.mul(map).sum(spatialAxes).reshape(gate.shape());
        }
        return new Pair<>(null, new INDArray[]{dMap, dGate});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("ChannelScaleVertex has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return maskArrays == null || maskArrays.length == 0 ? null : new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ChannelScaleVertex(name=" + vertexName + ")";
    }
}
