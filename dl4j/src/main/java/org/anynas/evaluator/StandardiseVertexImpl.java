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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime side of {@link StandardiseVertex}: y = (x − mean) / std per channel; dx = ε / std. */
final class StandardiseVertexImpl extends BaseGraphVertex {
    private final INDArray mean;
    private final INDArray std;

    StandardiseVertexImpl(ComputationGraph graph, String name, int index, DataType dataType, float[] mean, float[] std) {
        super(graph, name, index, null, null, dataType);
        this.mean = Nd4j.createFromArray(mean).castTo(dataType);
        this.std = Nd4j.createFromArray(std).castTo(dataType);
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
        if (!canDoForward()) throw new IllegalStateException("StandardiseVertex " + vertexName + ": input not set");
        INDArray x = inputs[0];
        INDArray centred = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(x, mean.castTo(x.dataType()), centred, 1));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(centred, std.castTo(x.dataType()), centred, 1));
        return centred;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastDivOp(epsilon, std.castTo(epsilon.dataType()), dx, 1));
        return new Pair<>(null, new INDArray[]{dx});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) throw new IllegalStateException("StandardiseVertex has no parameters");
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        return maskArrays == null || maskArrays.length == 0 ? null : new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "StandardiseVertex(name=" + vertexName + ")";
    }
}
