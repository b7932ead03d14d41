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

    /** The epoch the training keeps ("Best epoch K") is the last epoch line marked best. */
    private static void assertBestEpochMarked(String s) {
        var chosen = java.util.regex.Pattern.compile("Best epoch (\\d+):").matcher(s);
        assertThat(chosen.find()).as(s).isTrue();
        var marked = s.lines().filter(l -> l.startsWith("epoch ") && l.contains("  best")).toList();
        assertThat(marked).as(s).isNotEmpty();
        assertThat(marked.get(marked.size() - 1)).startsWith(String.format("epoch %3d/", Integer.parseInt(chosen.group(1))));
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
        assertBestEpochMarked(s);
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
        var probe = org.anynas.torch.TorchProbe.probe("");
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.torch().isPresent(),
                "PyTorch not found (" + probe.problem() + "); .ci/run installs python3-torch");
        Path arch = sampleArch(dir);
        Path model = dir.resolve("model");
        int code = Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "500",
                "--epochs", "2", "--batch", "64", "--backend", "torch", "--torch-device", "cpu", "--out", model.toString(),
                "--augment", "--erasing", "0.5", "--label-smoothing", "0.1", "--warmup-epochs", "1", "--ema", "0.9");
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(s + err).isZero();
        assertThat(s).contains("epoch   2/2").contains("trained in PyTorch: max |p_torch - p_dl4j|");
        assertBestEpochMarked(s); // the same display on both backends
        assertThat(model.resolve("model.pt")).isNotEmptyFile();
        assertThat(model.resolve("model.onnx")).isNotEmptyFile();
        assertThat(Files.readString(model.resolve("summary.txt"))).contains("p_torch").contains("backend torch")
                .contains(" cpu fp32 channels-last, ") // torch.channels_last auto: NHWC on the CPU
                .contains("random erasing (p 0.5), label smoothing 0.1, warm-up 1 epoch, EMA 0.9");
        ComputationGraph loaded = ComputationGraph.load(model.resolve("model.zip").toFile(), false);
        assertThat(loaded.numParams()).isPositive();
        try (var files = Files.list(Path.of("anynas-runs"))) { // beside train.log, where the worker wrote them
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary weights left behind")
                    .noneMatch(n -> n.startsWith("final-" + ProcessHandle.current().pid() + "-"));
        }
    }

    /** Images without a test split: the validation score is the only one, and summary.txt says so once, on each backend. */
    @Test
    void aFolderWithoutATestSplitIsTrainedAndItsSummarySaysSoOnce(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path photos = dir.resolve("photos");
        java.util.Random random = new java.util.Random(3);
        for (int c = 0; c < 4; c++) {
            Files.createDirectories(photos.resolve("class" + c));
            for (int i = 0; i < 12; i++) {
                var img = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) img.getRaster().setSample(x, y, 0, random.nextInt(64) + (x / 4 == c ? 160 : 0));
                }
                javax.imageio.ImageIO.write(img, "png", photos.resolve("class" + c).resolve(i + ".png").toFile());
            }
        }
        boolean torch = org.anynas.torch.TorchProbe.probe("").torch().isPresent();
        for (String backend : torch ? java.util.List.of("dl4j", "torch") : java.util.List.of("dl4j")) {
            out.reset();
            Path model = dir.resolve("model-" + backend);
            // channels-first here: the other PyTorch tests train channels-last, the CPU's default
            int code = Main.run("train", "--arch", arch.toString(), "--dataset", photos.toString(), "--val-size", "8",
                    "--epochs", "1", "--batch", "16", "--backend", backend, "--torch-device", "cpu", "--channels-last", "false",
                    "--out", model.toString());
            String s = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(backend + ": " + s + err).isZero();
            assertThat(s).as(backend).contains("(no test split)").doesNotContain("Test accuracy");
            assertThat(Files.readString(model.resolve("summary.txt")).lines().filter(l -> l.startsWith("test:")))
                    .as(backend).containsExactly("test:         none (the dataset has no test split)");
            assertThat(model.resolve("confusion.txt")).doesNotExist();
            if (backend.equals("torch")) assertThat(Files.readString(model.resolve("summary.txt"))).contains(" cpu fp32, worker");
        }
        err.reset();
        assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", photos.toString(), "--channels-last", "nhwc",
                "--out", dir.resolve("refused").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: --channels-last must be auto, true or false, got 'nhwc'"
                + System.lineSeparator());
        assertThat(dir.resolve("refused")).doesNotExist();
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

    /** The final recipe's ingredients, on DL4J: each reaches the trainer and the summary. */
    @Test
    void trainsWithEveryIngredientOfTheFinalRecipeOnDl4j(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path model = dir.resolve("model");
        int code = Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "200",
                "--train-size", "256", "--epochs", "2", "--batch", "64", "--backend", "dl4j", "--augment", "--erasing", "0.5",
                "--label-smoothing", "0.1", "--warmup-epochs", "1", "--ema", "0.9", "--optimizer", "sgd", "--lr", "0.05",
                "--out", model.toString());
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(s + err).isZero();
        String recipe = "random crop (pad 2) + horizontal flip + random erasing (p 0.5), label smoothing 0.1, warm-up 1 epoch, EMA 0.9";
        assertThat(s).contains("recipe: augmentation " + recipe);
        assertThat(Files.readString(model.resolve("summary.txt"))).contains(recipe);
    }

    /**
     * --seeds K: a folder per seed with a marker written last, mean ± sd in the terminal and summary.txt; a re-run keeps
     * finished seeds, trains a seed whose marker is missing (a stopped or killed seed) again, to the same numbers.
     */
    @Test
    void seedsTrainIntoTheirOwnFoldersReportMeanAndSdAndAReRunResumes(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path runs = dir.resolve("runs");
        String[] args = {"train", "--arch", arch.toString(), "--dataset", "synthetic", "--val-size", "200", "--train-size", "256",
                "--epochs", "1", "--batch", "64", "--backend", "dl4j", "--seed", "4", "--out", runs.toString()};
        assertThat(Main.run(concat(args, "--seeds", "2"))).as(out + "" + err).isZero();
        String first = out.toString(StandardCharsets.UTF_8);
        assertThat(first).contains("Seed 4 (1 of 2)").contains("Seed 5 (2 of 2)").contains("test_acc over 2 of 2 seeds: ");
        assertThat(first.lines().filter(l -> l.contains("Test accuracy")).count()).isEqualTo(2);
        assertThat(runs.resolve("seed-4/model.zip")).isNotEmptyFile();
        assertThat(runs.resolve("seed-5/" + SeedRuns.MARKER)).isNotEmptyFile();
        String summary = Files.readString(runs.resolve("summary.txt"));
        assertThat(summary).contains("test_acc over 2 of 2 seeds").contains("  seed 4: test_acc ").contains("  seed 5: test_acc ");
        double seed5 = marker(runs, 5);
        double[] both = {marker(runs, 4), seed5};
        double[] ms = SeedRuns.meanSd(both);
        assertThat(summary).contains(String.format(java.util.Locale.ROOT, "%.4f ± %.4f", ms[0], ms[1]));

        // seed 5 stopped before its marker was written: trained again; seed 4 kept; seed 6 new
        Files.delete(runs.resolve("seed-5/" + SeedRuns.MARKER));
        out.reset();
        assertThat(Main.run(concat(args, "--seeds", "3"))).as(out + "" + err).isZero();
        String again = out.toString(StandardCharsets.UTF_8);
        assertThat(again).contains("Seed 4 (1 of 3): finished in an earlier run").contains("Seed 5 (2 of 3)\n")
                .contains("Seed 6 (3 of 3)\n").contains("test_acc over 3 of 3 seeds");
        assertThat(again.lines().filter(l -> l.contains("Test accuracy")).count()).as("seeds 5 and 6 trained").isEqualTo(2);
        assertThat(marker(runs, 5)).as("deterministic: the retrained seed scores as before").isEqualTo(seed5);

        // other settings in the same folder are refused, not mixed in
        out.reset();
        err.reset();
        assertThat(Main.run(concat(args, "--seeds", "3", "--label-smoothing", "0.2"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: ").contains("other settings")
                .contains("--force").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Test accuracy");
    }

    @Test
    void badRecipeValuesAreOneErrorLineBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path arch = sampleArch(dir);
        Path model = dir.resolve("m");
        String[][] bad = {{"--seeds", "0"}, {"--ema", "1"}, {"--label-smoothing", "1.5"}, {"--erasing", "-0.1"},
                {"--warmup-epochs", "2"}, {"--seeds", "two"}};
        String[] names = {"--seeds", "--ema", "--label-smoothing", "--erasing", "--warmup-epochs", "--seeds"};
        for (int i = 0; i < bad.length; i++) {
            out.reset();
            err.reset();
            int code = Main.run(concat(new String[]{"train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "2",
                    "--out", model.toString()}, bad[i]));
            String e = err.toString(StandardCharsets.UTF_8).strip();
            assertThat(code).as(String.join(" ", bad[i])).isEqualTo(2);
            assertThat(e.lines().count()).as(e).isEqualTo(1);
            assertThat(e).startsWith("error: ").contains(names[i]).doesNotContain("Exception");
            assertThat(model).doesNotExist();
        }
        // a folder that is not a --seeds run is not taken over
        Files.createDirectories(model);
        Files.writeString(model.resolve("notes.txt"), "mine");
        err.reset();
        assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", "synthetic", "--epochs", "1", "--seeds", "2",
                "--out", model.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("error: ").contains("notes.txt").contains("--force");
    }

    private static double marker(Path runs, long seed) throws Exception {
        return org.anynas.space.Json.json().readTree(runs.resolve("seed-" + seed + "/" + SeedRuns.MARKER).toFile())
                .path("test_acc").asDouble();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
