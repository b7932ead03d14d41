package org.anynas.torch;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingProgress;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.SyntheticImages;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One PyTorch slot against a real worker process on the CPU (Debian's python3-torch; skipped, with the reason,
 * only where PyTorch cannot be found at all): results, a worker that crashes or hangs mid-candidate, and the
 * restart that follows.
 */
class TorchTrainerTest {
    static final Fidelity F = new Fidelity(2, 600, 200, 50, Fidelity.Optimizer.ADAM, 4e-3, Fidelity.Schedule.COSINE, 5e-5, 3);
    static TorchProbe torch;
    static Dataset data;

    @BeforeAll
    static void probe() {
        torch = Torch.required();
        data = Datasets.load("synthetic", null, 500, 1);
    }

    static Architecture net(BlockType block) {
        return Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(block, 2, 16), Stage.of(BlockType.PLAIN, 1, 24)), Head.of(0));
    }

    static TorchTrainer slot(Path dir, Duration limit, Duration grace, Map<String, String> env) throws Exception {
        Path cache = dir.resolve("cache");
        TorchSettings settings = new TorchSettings(torch.python(), "cpu", "all", 1, "fp32", "auto");
        var spec = new TorchWorker.Spec(torch.python(), WorkerSources.unpack(cache), SplitFiles.write(data, cache.resolve("splits")),
                "cpu", "-", null, settings, 1, Files.createFile(dir.resolve("worker.log")), env);
        return new TorchTrainer(spec, data.name(), "torch test", limit, grace, () -> false);
    }

    @Test
    void trainsACandidateAndReportsEveryMetricWithItsDevice(@TempDir Path dir) throws Exception {
        try (TorchTrainer t = slot(dir, Duration.ofMinutes(5), Duration.ofMinutes(2), Map.of())) {
            Architecture a = net(BlockType.RESIDUAL);
            EvaluationResult r = t.evaluate(a, F);
            assertThat(r.status()).as(r.message()).isEqualTo(Status.OK);
            assertThat(r.valAccuracy()).isGreaterThan(0.5); // four bright quadrants
            assertThat(r.trainLoss()).hasSize(2);
            assertThat(r.valAccuracyCurve()).hasSize(2).last().isEqualTo(r.valAccuracy());
            assertThat(r.trainImagesPerSec()).isPositive();
            assertThat(r.latencyMs()).isPositive();
            assertThat(r.inferencePerSec()).isPositive();
            assertThat(r.params()).isEqualTo(a.graph().params());
            assertThat(r.device()).startsWith("cpu").contains("torch " + torch.version());
            // the same worker, the same request: the CPU run is repeatable, also with a live display listening,
            // which then gets the worker's batch events on this (the slot's) thread, as the DL4J trainer's steps
            List<TrainingProgress.Step> steps = new java.util.ArrayList<>();
            Thread slot = Thread.currentThread();
            TrainingProgress.listen(s -> {
                if (Thread.currentThread() == slot) steps.add(s);
            });
            try {
                assertThat(t.evaluate(a, F).valAccuracy()).isEqualTo(r.valAccuracy());
            } finally {
                TrainingProgress.listen(null);
            }
            assertThat(steps).isNotEmpty().last().satisfies(last -> {
                assertThat(last.last()).isTrue();
                assertThat(last.loss()).isCloseTo(r.trainLoss().get(1), org.assertj.core.data.Offset.offset(1e-6));
            });
            assertThat(t.restarts()).isZero();
        }
    }

    @Test
    void aWorkerThatCrashesFailsOnlyItsCandidateAndIsReplaced(@TempDir Path dir) throws Exception {
        try (TorchTrainer t = slot(dir, Duration.ofMinutes(5), Duration.ofMinutes(2), Map.of("ANYNAS_TORCH_FAULT", "crash@2"))) {
            Architecture a = net(BlockType.PLAIN);
            assertThat(t.evaluate(a, F).status()).isEqualTo(Status.OK);
            EvaluationResult crashed = t.evaluate(a, F);
            assertThat(crashed.status()).isEqualTo(Status.FAILED);
            assertThat(crashed.message()).contains("worker died").contains("exit code 3");
            assertThat(t.evaluate(a, F).status()).isEqualTo(Status.OK); // a new worker
            assertThat(t.restarts()).isEqualTo(1);
        }
    }

    @Test
    void aWorkerThatHangsIsKilledAtItsDeadlineAndTheCandidateTimesOut(@TempDir Path dir) throws Exception {
        try (TorchTrainer t = slot(dir, Duration.ofSeconds(2), Duration.ofSeconds(3), Map.of("ANYNAS_TORCH_FAULT", "hang@1"))) {
            Architecture a = net(BlockType.PLAIN);
            EvaluationResult hung = t.evaluate(a, F);
            assertThat(hung.status()).isEqualTo(Status.TIMEOUT);
            assertThat(hung.message()).contains("hung");
            // the replacement worker hangs at its first request too (same fault): every candidate is a result
            assertThat(t.evaluate(a, F).status()).isEqualTo(Status.TIMEOUT);
            assertThat(t.restarts()).isEqualTo(2);
        }
    }
}
