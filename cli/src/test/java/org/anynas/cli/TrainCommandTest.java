package org.anynas.cli;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TrainCommandTest extends CapturedConsole {

    private Path sampleArch(Path dir) throws Exception {
        assertThat(Main.run("space", "sample", "chain", "-n", "1", "--seed", "2", "--input", "1x16x16", "--classes", "4")).isZero();
        String s = out.toString(StandardCharsets.UTF_8);
        Path file = dir.resolve("arch.json");
        Files.writeString(file, s.substring(s.indexOf('{'), s.lastIndexOf('}') + 1));
        out.reset();
        return file;
    }

    @Test
    void trainsWithAugmentationReportsEachEpochAndTheTestOnceAndSavesALoadableModel(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path model = dir.resolve("model");
        int code = Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "500",
                "--epochs", "2", "--augment", "--batch", "64", "--out", model.toString());
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(s + err).isZero();
        assertThat(s).contains("epoch   1/2").contains("epoch   2/2").contains("random crop (pad 2) + horizontal flip");
        assertThat(s.lines().filter(l -> l.contains("Test accuracy")).count()).isEqualTo(1);
        assertThat(Files.readString(model.resolve("summary.txt"))).contains("test_acc").contains("best epoch");
        ComputationGraph loaded = ComputationGraph.load(model.resolve("model.zip").toFile(), false);
        assertThat(loaded.getNumOutputArrays()).isEqualTo(1);

        out.reset();
        err.reset();
        assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1",
                "--out", model.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--force").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("epoch");
    }

    @Test
    void dl4jCudaIsRefusedBeforeAnythingLoadsInsteadOfTrainingOnPyTorch(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path model = dir.resolve("model");
        assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1",
                "--backend", "dl4j-cuda", "--out", model.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--backend must be auto, dl4j or torch for ./nas train")
                .contains("'dl4j-cuda'").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Training");
        assertThat(model).doesNotExist();
    }

    @Test
    void trainsWithPyTorchAndExportsItsWeightsToModelZipAndModelOnnxCheckedAgainstPyTorch(@TempDir Path dir) throws Exception {
        var probe = org.anynas.evaluator.torch.TorchProbe.probe("");
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.torch().isPresent(),
                "PyTorch not found (" + probe.problem() + "); .ci/run installs python3-torch");
        Path arch = sampleArch(dir);
        Path model = dir.resolve("model");
        int code = Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "500",
                "--epochs", "2", "--batch", "64", "--backend", "torch", "--torch-device", "cpu", "--out", model.toString());
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(s + err).isZero();
        assertThat(s).contains("epoch   2/2").contains("trained in PyTorch: max |p_torch - p_dl4j|");
        assertThat(model.resolve("model.pt")).isNotEmptyFile();
        assertThat(model.resolve("model.onnx")).isNotEmptyFile();
        assertThat(Files.readString(model.resolve("summary.txt"))).contains("p_torch").contains("backend torch");
        ComputationGraph loaded = ComputationGraph.load(model.resolve("model.zip").toFile(), false);
        assertThat(loaded.numParams()).isPositive();
        try (var files = Files.list(Path.of("anynas-runs"))) { // beside train.log, where the worker wrote them
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary weights left behind")
                    .noneMatch(n -> n.startsWith("model-"));
        }
    }

    @Test
    void anArchitectureForOtherImagesOrAMissingFileIsOneClearError(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", "fashion-mnist", "--epochs", "1",
                "--out", dir.resolve("m").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: ").contains("1×16×16")
                .contains("fashion-mnist").doesNotContain("Exception");
        assertThat(dir.resolve("m")).doesNotExist();
        err.reset();
        assertThat(Main.run("train", "--arch", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: ").contains("missing.json");
    }
}
