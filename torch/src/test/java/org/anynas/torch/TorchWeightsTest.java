package org.anynas.torch;

import org.anynas.trainer.TrainingRecipe;

import org.anynas.dl4j.ModelExport;
import org.anynas.dl4j.Standardisation;
import org.anynas.trainer.Status;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.data.SyntheticImages;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.anynas.torch.TorchTrainerTest.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Networks trained by the PyTorch worker (on the CPU here) move into DL4J by node name and export to model.zip and
 * model.onnx that compute what PyTorch computes: for every block type with and without SE, depthwise convolutions
 * and a hidden dense head included. TorchTrainerTest's {@code @BeforeAll} probes PyTorch (skipped only where it
 * cannot be found at all).
 */
class TorchWeightsTest {
    static final Fidelity ONE_EPOCH = new Fidelity(1, 300, 100, 50, Fidelity.Optimizer.ADAM, 4e-3, Fidelity.Schedule.COSINE, 5e-5, 3);

    @BeforeAll
    static void probe() {
        TorchTrainerTest.probe(); // PyTorch and the synthetic data, shared with TorchTrainerTest.slot
    }

    static List<Architecture> everyBlock() {
        List<Architecture> nets = new ArrayList<>();
        for (BlockType b : BlockType.values()) {
            for (double se : new double[]{0, 0.25}) {
                Stage first = Stage.of(b, 1, 16).withSe(se);
                if (b == BlockType.INVERTED || b == BlockType.BOTTLENECK) first = first.withDepthwise(true);
                nets.add(Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.SILU, Stem.of(8, 3, 1),
                        List.of(first, Stage.of(BlockType.PLAIN, 1, 24)), Head.of(0.2, 12)));
            }
        }
        return nets;
    }

    @Test
    void everyBlockTrainedInPyTorchExportsToDl4jAndOnnxAndAllThreeAgree(@TempDir Path dir) throws Exception {
        try (TorchTrainer t = slot(dir, Duration.ofMinutes(5), Duration.ofMinutes(2), Map.of())) {
            int i = 0;
            for (Architecture a : everyBlock()) {
                Path arrays = dir.resolve("m" + i + ".npz");
                var r = t.trainFinal(a, ONE_EPOCH, TrainingRecipe.Final.none(), dir.resolve("m" + i++ + ".pt"), arrays, null, e -> {
                });
                assertThat(r.result().status()).as(r.result().message()).isEqualTo(Status.OK);
                TorchWeights w = TorchWeights.read(arrays);
                ComputationGraph net = w.network(a.graph());
                assertThat(net.numParams()).as("BN statistics are not parameters in either").isGreaterThan(0);
                var d = ModelExport.prepare(net, a, metadata(a), TorchTrainerTest.data.test(), w.referenceProbabilities());
                CrossRuntimeCheck c = d.check();
                assertThat(c.passes()).as(a.oneLine() + ": " + c.oneLine()).isTrue();
                assertThat(c.torchDifference()).as(a.oneLine()).isLessThanOrEqualTo(CrossRuntimeCheck.TOLERANCE);
                assertThat(c.images()).isEqualTo(Math.min(org.anynas.trainer.Trainer.CHECK_IMAGES, TorchTrainerTest.data.test().size()));
                d.dl4j().clear();
                net.clear();
            }
        }
    }

    @Test
    void aKernelMovedWithoutItsLayoutChangeFailsTheCheck(@TempDir Path dir) throws Exception {
        Architecture a = everyBlock().get(2 * BlockType.INVERTED.ordinal() + 1); // depthwise conv and SE
        try (TorchTrainer t = slot(dir, Duration.ofMinutes(5), Duration.ofMinutes(2), Map.of())) {
            Path arrays = dir.resolve("m.npz");
            assertThat(t.trainFinal(a, ONE_EPOCH, TrainingRecipe.Final.none(), dir.resolve("m.pt"), arrays, null, e -> {
            }).result().status()).isEqualTo(Status.OK);
            TorchWeights w = TorchWeights.read(arrays);
            ComputationGraph net = w.network(a.graph());
            // the planted error: the stem's 3×3 kernels transposed, as a layout mistake would leave them
            var kernel = net.getLayer("stem_conv").getParam("W");
            kernel.assign(kernel.permute(0, 1, 3, 2).dup());
            assertThatThrownBy(() -> ModelExport.prepare(net, a, metadata(a), TorchTrainerTest.data.test(), w.referenceProbabilities()))
                    .isInstanceOf(ModelExport.ExportException.class).hasMessageContaining("p_torch");
        }
    }

    private static ModelMetadata metadata(Architecture a) {
        return ModelMetadata.of(a, TorchTrainerTest.data.name(), Standardisation.of(TorchTrainerTest.data.train().first(ONE_EPOCH.trainSize())), 0.5, 0.5);
    }
}
