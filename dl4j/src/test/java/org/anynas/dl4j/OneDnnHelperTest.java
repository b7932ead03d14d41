package org.anynas.dl4j;

import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine must train through DL4J's oneDNN helpers, not the generic im2col path. */
class OneDnnHelperTest {

    @Test
    void convBatchNormAndPoolingLayersRunThroughOneDnn() {
        Architecture arch = Architecture.of(Shape.of(1, 16, 16), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.PLAIN, 1, 16).withDownsample(Downsample.MAX_POOL)), Head.of(0));
        ComputationGraph net = GraphTranslator.floats().build(arch.graph(), Fidelity.proxy(1, 32, 32, 1), 1);

        assertThat(CpuBackend.oneDnnHelpersEnabled()).isTrue();
        Layer conv = net.getLayer("stem_conv");
        Layer bn = net.getLayer("stem_bn");
        Layer pool = net.getLayer("s1_pool");
        // the stem's gradients come from our kernel, its forward pass and every other convolution from oneDNN
        assertThat(conv.getHelper()).isInstanceOf(StemConvolution.class);
        assertThat(((StemConvolution) conv.getHelper()).fallback()).isInstanceOf(MKLDNNConvHelper.class);
        int inner = 0;
        for (Layer l : net.getLayers()) {
            if (l instanceof ConvolutionLayer && l != conv) {
                assertThat(l.getHelper()).isInstanceOf(MKLDNNConvHelper.class);
                inner++;
            }
        }
        assertThat(inner).isPositive();
        // batch norm trains through our channel kernels, in front of the oneDNN helper (used for inference)
        assertThat(bn.getHelper()).isInstanceOf(ChannelsFirstBatchNorm.class);
        assertThat(((ChannelsFirstBatchNorm) bn.getHelper()).fallback()).isInstanceOf(MKLDNNBatchNormHelper.class);
        assertThat(pool.getHelper()).isInstanceOf(MKLDNNSubsamplingHelper.class);

        Nd4j.getRandom().setSeed(1);
        DataSet batch = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 32, 1, 16, 16),
                Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1)
                        .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        net.fit(batch);
        net.fit(batch);

        // a helper that throws is silently dropped for the generic path and counted here
        assertThat(StemConvolution.SLOT.failures(conv)).isZero();
        assertThat(LayerHelperSlot.of(SubsamplingLayer.class, SubsamplingHelper.class).failures(pool)).isZero();
        assertThat(ChannelsFirstBatchNorm.SLOT.failures(bn)).isZero();
        assertThat(conv.getHelper()).isInstanceOf(StemConvolution.class);
        assertThat(net.score()).isFinite();
    }

    /** With CacheMode.NONE DL4J ran every convolution twice per step: again in backprop, to differentiate identity. */
    @Test
    void eachConvolutionRunsForwardOncePerTrainingStep() {
        ComputationGraph net = GraphTranslator.floats().build(RESIDUAL.graph(), Fidelity.proxy(1, 32, 32, 1), 1);
        int[] calls = {0};
        int convs = 0;
        for (Layer layer : net.getLayers()) {
            // the stem's helper is StemConvolution; the cache is DL4J's, ahead of any helper, so the others tell
            if (layer.getClass() != ConvolutionLayer.class || layer.getHelper() instanceof StemConvolution) continue;
            convs++;
            assertThat(StemConvolution.SLOT.get(layer)).isInstanceOf(MKLDNNConvHelper.class);
            // a subclass, since DL4J treats a helper that is not MKLDNNConvHelper differently (dummy bias gradients)
            StemConvolution.SLOT.set(layer, new MKLDNNConvHelper(DataType.FLOAT) {
                @Override
                public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                                          org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
                                          org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo,
                                          ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                          LayerWorkspaceMgr workspaceMgr) {
                    calls[0]++;
                    return super.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode, dilation,
                            format, workspaceMgr);
                }
            });
        }
        assertThat(convs).isGreaterThanOrEqualTo(3);
        for (int step = 0; step < 3; step++) net.fit(batch(step));
        assertThat(calls[0]).isEqualTo(3 * convs);
        for (Layer layer : net.getLayers()) {
            if (layer.getClass() == ConvolutionLayer.class) assertThat(StemConvolution.SLOT.failures(layer)).isZero();
        }
    }

    @Test
    void keepingTheForwardOutputChangesNoNumber() {
        ComputationGraph cached = GraphTranslator.floats().build(RESIDUAL.graph(), Fidelity.proxy(1, 32, 32, 1), 1);
        ComputationGraph recomputed = GraphTranslator.floats().build(RESIDUAL.graph(), Fidelity.proxy(1, 32, 32, 1), 1);
        recomputed.getConfiguration().setCacheMode(CacheMode.NONE);
        recomputed.setCacheMode(CacheMode.NONE);
        assertThat(cached.getConfiguration().getCacheMode()).isEqualTo(CacheMode.DEVICE);
        assertThat(cached.params()).isEqualTo(recomputed.params());
        for (int step = 0; step < 3; step++) {
            DataSet b = batch(step);
            cached.fit(b);
            recomputed.fit(b);
            assertThat(recomputed.score()).isEqualTo(cached.score());
        }
        assertThat(cached.params()).isEqualTo(recomputed.params());
    }

    private static final Architecture RESIDUAL = Architecture.of(Shape.of(1, 16, 16), 10, Activation.RELU, Stem.of(8, 3, 1),
            List.of(Stage.of(BlockType.RESIDUAL, 2, 16).withDownsample(Downsample.MAX_POOL)), Head.of(0));

    private static DataSet batch(int seed) {
        Nd4j.getRandom().setSeed(seed);
        int[] labels = new int[32];
        for (int i = 0; i < 32; i++) labels[i] = (i * 7 + seed) % 10;
        return new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 32, 1, 16, 16),
                Nd4j.eye(10).getRows(labels).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
    }
}
