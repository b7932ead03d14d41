package org.anynas.dl4j;

import org.anynas.trainer.TrainingLeg;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;

import org.anynas.data.Dataset;
import org.anynas.data.Split;
import org.anynas.data.SyntheticImages;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyTrainerTest {
    static final Dataset DATA = Split.of("synthetic", SyntheticImages.generate(1200, 1), SyntheticImages.generate(200, 2), 300, 7);
    static final Architecture SMALL = Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.RELU,
            Stem.of(8, 3, 1), List.of(Stage.of(BlockType.RESIDUAL, 1, 16).withDownsample(Downsample.MAX_POOL).withSe(0.25)),
            Head.of(0));
    static final Fidelity FIDELITY = new Fidelity(2, 800, 300, 32, Fidelity.Optimizer.ADAM, 0.005,
            Fidelity.Schedule.COSINE, 0, 3);

    @Test
    void learnsWellAboveChanceAndMeasuresEverything() {
        EvaluationResult r = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).evaluate(SMALL, FIDELITY);
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.valAccuracy()).isGreaterThan(0.6); // chance is 0.25
        assertThat(r.trainLoss()).hasSize(2);
        assertThat(r.trainLoss().get(1)).isLessThan(r.trainLoss().get(0));
        assertThat(r.valAccuracyCurve()).hasSize(2).last().isEqualTo(r.valAccuracy());
        assertThat(r.trainImagesPerSec()).isPositive();
        assertThat(r.latencyMs()).isPositive();
        assertThat(r.inferencePerSec()).isPositive();
        assertThat(r.params()).isEqualTo(SMALL.graph().params());
        assertThat(r.device()).contains("oneDNN helpers on");
    }

    @Test
    void sameSeedArchitectureDataAndFidelityGiveTheSameAccuracy() {
        ProxyTrainer trainer = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).withoutInferenceTiming();
        EvaluationResult a = trainer.evaluate(SMALL, FIDELITY);
        EvaluationResult b = trainer.evaluate(SMALL, FIDELITY);
        assertThat(b.valAccuracy()).isEqualTo(a.valAccuracy());
        assertThat(b.trainLoss()).isEqualTo(a.trainLoss());
    }

    /** A rung promotion: 1 epoch, checkpoint, 2 more epochs from it = 3 epochs in one go (one cosine schedule). */
    @Test
    void continuingFromACheckpointGivesTheSameWeightsAsOneUninterruptedRun(@TempDir Path dir) throws IOException {
        Architecture withDropout = Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.RELU,
                Stem.of(8, 3, 1), List.of(Stage.of(BlockType.RESIDUAL, 1, 16).withDownsample(Downsample.MAX_POOL).withSe(0.25)),
                Head.of(0.3, 16));
        Fidelity three = new Fidelity(3, 800, 300, 32, Fidelity.Optimizer.ADAM, 0.005, Fidelity.Schedule.COSINE, 1e-4, 3);
        ProxyTrainer trainer = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).withoutInferenceTiming();
        EvaluationResult whole = trainer.evaluate(withDropout, three, TrainingLeg.of(3, dir.resolve("whole.ckpt")));
        EvaluationResult first = trainer.evaluate(withDropout, three, TrainingLeg.of(1, dir.resolve("rung0.ckpt")));
        EvaluationResult rest = trainer.evaluate(withDropout, three,
                TrainingLeg.continuing(1, dir.resolve("rung0.ckpt"), 3, dir.resolve("rung1.ckpt")));
        assertThat(first.status()).isEqualTo(Status.OK);
        assertThat(rest.status()).isEqualTo(Status.OK);
        assertThat(first.trainLoss()).hasSize(1);
        assertThat(rest.trainLoss()).hasSize(2);
        assertThat(java.util.stream.Stream.concat(first.trainLoss().stream(), rest.trainLoss().stream()).toList())
                .isEqualTo(whole.trainLoss());
        assertThat(rest.valAccuracy()).isEqualTo(whole.valAccuracy());
        assertThat(rest.valLoss()).isEqualTo(whole.valLoss());
        ComputationGraph a = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(dir.resolve("whole.ckpt").toFile(), true);
        ComputationGraph b = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(dir.resolve("rung1.ckpt").toFile(), true);
        assertThat(b.params().equalsWithEps(a.params(), 0)).isTrue();
        assertThat(b.getUpdater().getStateViewArray().equalsWithEps(a.getUpdater().getStateViewArray(), 0)).isTrue();
        assertThat(b.getConfiguration().getIterationCount()).isEqualTo(a.getConfiguration().getIterationCount());
        assertThat(dir.resolve("rung1.ckpt.tmp")).doesNotExist();
        // and the first leg really stopped early: its weights differ from the finished run's
        ComputationGraph c = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(dir.resolve("rung0.ckpt").toFile(), true);
        assertThat(c.params().equalsWithEps(a.params(), 0)).isFalse();
    }

    @Test
    void divergenceAndTimeoutAreResultsNotCrashes() {
        ProxyTrainer trainer = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).withoutInferenceTiming();
        Fidelity absurd = new Fidelity(1, 800, 300, 32, Fidelity.Optimizer.SGD, 10, Fidelity.Schedule.CONSTANT, 0, 3);
        Architecture plain = Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.RELU,
                Stem.of(8, 3, 1), List.of(Stage.of(BlockType.PLAIN, 1, 16)), Head.of(0, 512, 512));
        EvaluationResult diverged = trainer.evaluate(plain, absurd);
        assertThat(diverged.status()).isIn(Status.DIVERGED, Status.OK);
        EvaluationResult timeout = ProxyTrainer.of(DATA, Duration.ofNanos(1)).evaluate(SMALL, FIDELITY);
        assertThat(timeout.status()).isEqualTo(Status.TIMEOUT);
        assertThat(timeout.message()).contains("limit");
    }

    @Test
    void aCandidateTooBigForMemoryIsAnOomResultAndNothingIsAllocated() {
        // 1024 channels at full 224×224 resolution: hundreds of GB at batch 32, on any machine this runs on
        Architecture huge = Architecture.of(org.anynas.space.Shape.of(3, 224, 224), 10, Activation.RELU, Stem.of(256, 3, 1),
                List.of(Stage.of(BlockType.PLAIN, 4, 1024)), Head.of(0));
        Fidelity f = new Fidelity(1, 800, 300, 32, Fidelity.Optimizer.ADAM, 0.005, Fidelity.Schedule.COSINE, 0, 3);
        EvaluationResult r = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).evaluate(huge, f);
        assertThat(r.status()).isEqualTo(Status.OOM);
        assertThat(r.message()).contains("estimated").contains("GB");
        assertThat(r.params()).isEqualTo(huge.graph().params());

        long need = MemoryLimit.trainingBytes(SMALL.graph(), FIDELITY.batchSize());
        ProxyTrainer tight = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).withoutInferenceTiming();
        assertThat(tight.withMemoryLimit(MemoryLimit.of(need - 1)).evaluate(SMALL, FIDELITY).status()).isEqualTo(Status.OOM);
        assertThat(tight.withMemoryLimit(MemoryLimit.of(need)).evaluate(SMALL, FIDELITY).status()).isEqualTo(Status.OK);
    }

    @Test
    void exportReloadsAndReproducesPredictionsOnRawPixelsAndRefusesToOverwrite(@TempDir Path dir) throws IOException {
        ProxyTrainer.TrainedModel model = ProxyTrainer.of(DATA, Duration.ofMinutes(5)).withoutInferenceTiming().train(SMALL, FIDELITY);
        Path out = dir.resolve("export");
        var check = ModelExport.write(out, model.network(), SMALL, FIDELITY, model.standardisation(), DATA, model.result(), "test", false);
        assertThat(check.passes()).isTrue();
        assertThat(check.images()).isEqualTo(DATA.test().size());
        assertThat(out.resolve("model.zip")).exists();
        assertThat(out.resolve("model.onnx")).exists();
        assertThat(Files.readString(out.resolve("summary.txt"))).contains("val_acc").contains("classifier")
                .contains("max |p_onnx - p_dl4j|").contains("standardise:  " + model.standardisation().oneLine());
        assertThat(org.anynas.space.ArchitectureJson.read(out.resolve("architecture.json"))).isEqualTo(SMALL);

        // model.zip takes pixel / 255 and standardises itself: the trained network on standardised tensors agrees
        ComputationGraph loaded = ComputationGraph.load(out.resolve("model.zip").toFile(), true);
        var test = DATA.test().first(20);
        INDArray raw = Nd4j.create(org.anynas.dl4j.onnx.CrossRuntimeCheck.pixels(test), new long[]{20, 1, 16, 16}, 'c');
        INDArray standardised = Tensors.of(test, model.standardisation().asArrays()).range(0, 20)[0];
        assertThat(loaded.outputSingle(raw).equalsWithEps(model.network().outputSingle(standardised), 1e-6)).isTrue();

        assertThatThrownBy(() -> ModelExport.write(out, model.network(), SMALL, FIDELITY, model.standardisation(), DATA,
                model.result(), "test", false))
                .isInstanceOf(ModelExport.ExportException.class).hasMessageContaining("--force");
        ModelExport.write(out, model.network(), SMALL, FIDELITY, model.standardisation(), DATA, model.result(), "test", true);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("export");
        }
    }
}
