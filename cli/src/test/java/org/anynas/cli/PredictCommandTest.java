package org.anynas.cli;

import org.anynas.dl4j.GraphTranslator;
import org.anynas.dl4j.Standardisation;
import org.anynas.dl4j.Tensors;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageSet;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ./nas train writes model.onnx beside model.zip, and ./nas predict classifies PNG files as the evaluation code does. */
class PredictCommandTest extends CapturedConsole {
    private static final int TRAIN_SIZE = 3000;
    private static final int VAL_SIZE = 1000;
    private static final long SEED = 4;
    private static final Architecture ARCH = Architecture.of(org.anynas.space.Shape.of(1, 28, 28), 10, Activation.RELU,
            Stem.of(8, 3, 1), List.of(Stage.of(BlockType.RESIDUAL, 1, 16).withDownsample(Downsample.MAX_POOL).withSe(0.25)),
            Head.of(0.2));

    @TempDir
    static Path dir;
    static Path model;
    static Path images;
    static String trainOutput;

    @BeforeAll
    static void trainAndSaveTenTestImages() throws Exception {
        Path arch = dir.resolve("arch.json");
        Files.writeString(arch, ArchitectureJson.write(ARCH));
        model = dir.resolve("model");
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("train", "--arch", arch.toString(), "--dataset", "fashion-mnist", "--train-size", "" + TRAIN_SIZE,
                    "--val-size", "" + VAL_SIZE, "--seed", "" + SEED, "--epochs", "1", "--batch", "64", "--out", model.toString())).isZero();
        } finally {
            System.setOut(old);
        }
        trainOutput = out.toString(StandardCharsets.UTF_8);
        images = dir.resolve("images");
        Files.createDirectories(images);
        byte[] test = data().test().first(10).pixels();
        for (int i = 0; i < 10; i++) {
            BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) png.getRaster().setSample(x, y, 0, test[i * 784 + y * 28 + x] & 0xff);
            }
            ImageIO.write(png, "png", images.resolve(String.format("test-%02d.png", i)).toFile());
        }
    }

    private static Dataset data() {
        return Datasets.load("fashion-mnist", null, VAL_SIZE, SEED);
    }

    @Test
    void trainWritesModelOnnxAndReportsTheCrossRuntimeDifference() throws Exception {
        assertThat(model.resolve("model.onnx")).exists();
        assertThat(trainOutput).contains("Cross-runtime check: max |p_onnx - p_dl4j| = ").contains("model.onnx");
        String summary = Files.readString(model.resolve("summary.txt"));
        assertThat(summary).contains("max |p_onnx - p_dl4j|").contains("over 256 held-out images")
                .contains("classes:      T-shirt/top, Trouser").contains("input:        image [batch, 1, 28, 28]")
                .contains("preprocess:   any image: resize=stretch background=#ffffff to 28×28, grey");
        // per class, measured with the exported model on the whole test set; its accuracy is the one reported
        assertThat(trainOutput).contains("Test set, per class (exported model: accuracy ").contains("0 T-shirt/top");
        String confusion = Files.readString(model.resolve("confusion.txt"));
        assertThat(confusion).startsWith("Test set of fashion-mnist: accuracy ").contains("9 Ankle boot");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("accuracy (0\\.\\d{4}) \\((\\d+)/10000\\)").matcher(confusion);
        assertThat(m.find()).as(confusion).isTrue();
        java.util.regex.Matcher t = java.util.regex.Pattern.compile("Test accuracy \\(10,000 images, measured once\\): (0\\.\\d{4})")
                .matcher(trainOutput);
        assertThat(t.find()).as(trainOutput).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(Double.parseDouble(t.group(1)), org.assertj.core.data.Offset.offset(0.0015));
    }

    @Test
    void predictGivesTheEvaluationCodesClassesInBothRuntimes() throws Exception {
        // the evaluation code: the trained parameters in the training graph, fed images standardised by Tensors
        Dataset data = data();
        Standardisation norm = Standardisation.of(data.train().first(TRAIN_SIZE));
        ComputationGraph zip = ComputationGraph.load(model.resolve("model.zip").toFile(), false);
        ComputationGraph net = GraphTranslator.floats().build(ARCH.graph(), Fidelity.proxy(1, 1, 1, 1), 1);
        net.setParams(zip.params());
        int[] expected = net.outputSingle(false, Tensors.of(data.test().first(10), norm.asArrays()).range(0, 10)[0])
                .argMax(1).toIntVector();
        List<String> names = org.anynas.data.KnownDataset.FASHION_MNIST.classNames();

        for (String runtime : List.of("onnx", "dl4j")) {
            out.reset();
            assertThat(Main.run("predict", "--model", model.toString(), "--runtime", runtime, "--format", "csv", images.toString()))
                    .as(err.toString(StandardCharsets.UTF_8)).isZero();
            List<String> rows = out.toString(StandardCharsets.UTF_8).lines().skip(1).toList();
            assertThat(rows).hasSize(10);
            for (int i = 0; i < 10; i++) {
                String[] cells = rows.get(i).split(",");
                assertThat(cells[0]).endsWith(String.format("test-%02d.png", i));
                assertThat(Integer.parseInt(cells[2])).as(runtime + " image " + i).isEqualTo(expected[i]);
                assertThat(cells[1].replace("\"", "")).isEqualTo(names.get(expected[i]));
            }
        }
        out.reset();
        assertThat(Main.run("predict", "--model", model.toString(), "--format", "json", images.resolve("test-00.png").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"class\" : \"" + names.get(expected[0]) + "\"");
        zip.clear();
        net.clear();
    }

    @Test
    void aWrongFileAnUnreadableImageOrAFolderWithoutAModelIsOneErrorLine() throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertOneError(List.of("predict", "--model", model.toString(), text.toString()), "cannot read image " + text);
        assertOneError(List.of("predict", "--model", model.toString(), dir.resolve("missing.png").toString()), "no image file");
        assertOneError(List.of("predict", "--model", images.toString(), images.toString()), "no model.onnx in");
        assertOneError(List.of("predict", "--model", images.toString(), "--runtime", "dl4j", images.toString()), "no model.zip in");
        assertOneError(List.of("predict", "--model", model.toString(), "--runtime", "tflite", images.toString()), "--runtime");
    }

    private void assertOneError(List<String> args, String message) {
        err.reset();
        assertThat(Main.run(args.toArray(String[]::new))).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(e).startsWith("error: ").contains(message).doesNotContain("Exception").doesNotContain("\n");
    }
}
