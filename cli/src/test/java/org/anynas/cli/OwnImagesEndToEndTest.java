package org.anynas.cli;

import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.data.InputRule;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.data.folder.FolderData;
import org.anynas.data.folder.FolderDataset;
import org.anynas.data.folder.FolderSpec;
import org.anynas.data.folder.ImageFiles;
import org.anynas.data.folder.Progress;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Your own images, end to end from the command line: a folder of class folders with mixed sizes, grey and colour,
 * PNG and JPEG, a corrupt file and a text file is searched, searched again from the cache, exported, and classified by
 * predict, which sees every image exactly as training did and agrees with the exported network.
 */
class OwnImagesEndToEndTest extends CapturedConsole {
    private static final List<String> CLASSES = List.of("circle", "square", "stripes");

    @TempDir
    static Path dir;
    static Path photos;
    private static String cacheBefore;

    @BeforeAll
    static void writeAFolderOfPhotos() throws Exception {
        cacheBefore = System.getProperty("anynas.cache");
        System.setProperty("anynas.cache", dir.resolve("cache").toString());
        photos = dir.resolve("photos");
        Random random = new Random(3);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path folder = photos.resolve(CLASSES.get(c));
            Files.createDirectories(folder.resolve("nested"));
            for (int i = 0; i < 50; i++) {
                int w = 18 + random.nextInt(30);
                int h = 18 + random.nextInt(30);
                boolean grey = i % 3 == 0;
                BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(random.nextInt(60), random.nextInt(60), random.nextInt(60)));
                g.fillRect(0, 0, w, h);
                g.setColor(new Color(150 + random.nextInt(100), 150 + random.nextInt(100), 150 + random.nextInt(100)));
                int r = Math.min(w, h) / 3;
                switch (c) {
                    case 0 -> g.fillOval(w / 2 - r, h / 2 - r, 2 * r, 2 * r);
                    case 1 -> g.fillRect(w / 2 - r, h / 2 - r, 2 * r, 2 * r);
                    default -> {
                        for (int x = 0; x < w; x += 4) g.fillRect(x, 0, 2, h);
                    }
                }
                g.dispose();
                Path file = (i % 5 == 0 ? folder.resolve("nested") : folder).resolve(String.format("%02d.%s", i, i % 2 == 0 ? "png" : "jpg"));
                ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", file.toFile());
            }
        }
        Files.write(photos.resolve("square").resolve("truncated.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Files.writeString(photos.resolve("README.txt"), "my photos");
    }

    @AfterAll
    static void restoreCache() {
        if (cacheBefore == null) System.clearProperty("anynas.cache");
        else System.setProperty("anynas.cache", cacheBefore);
    }

    private String campaign(String name) {
        return "name: " + name + "\ndataset: " + photos + "\ndb: " + dir.resolve("runs").resolve("photos") + "\nspace: chain\n"
                + "images:\n  size: [16, 16]\nworkers: 1\nstop:\n  max_evaluations: 2\n"
                + "fidelity:\n  epochs: 2\n  train_size: 200\n  val_size: 60\n  batch_size: 32\n";
    }

    @Test
    void searchAgainFromTheCacheExportAndPredictAgreeWithTraining() throws Exception {
        Path first = dir.resolve("first.yaml");
        Files.writeString(first, campaign("first"));
        assertThat(Main.run("search", first.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).contains("decoding 150 images into the cache").contains("1 unreadable image skipped, first: square/truncated.png")
                .contains("1 file ignored").contains("image size 16×16 (set)").contains("3 channels")
                .contains("images per class (train + validation): circle 50, square 50, stripes 50")
                .contains("validation: 30 of the 150 training images, stratified by class")
                .contains("fidelity: train_size 200 → 120, val_size 60 → 30, all the folder has");

        out.reset();
        Path second = dir.resolve("second.yaml");
        Files.writeString(second, campaign("second"));
        assertThat(Main.run("search", second.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("decoding").contains("decoded images reused from");

        Path model = dir.resolve("best");
        assertThat(Main.run("export", "--db", dir.resolve("runs").resolve("photos").toString(), "--best", "--campaign", "first",
                "--out", model.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String summary = Files.readString(model.resolve("summary.txt"));
        assertThat(summary).contains("classes:      circle, square, stripes")
                .contains("preprocess:   any image: resize=stretch background=#ffffff to 16×16, 3 channels");
        Matcher valAcc = Pattern.compile("val_acc (0\\.\\d{4})").matcher(summary);
        assertThat(valAcc.find()).isTrue();

        // predict reads every image as the cache holds it (same decoder, same rule), then classifies like model.zip
        Shape shape = Shape.of(3, 16, 16);
        FolderDataset cached = FolderData.open(new FolderSpec(photos, new int[]{16, 16}, FolderSpec.Resize.STRETCH,
                FolderSpec.Channels.AUTO, FolderSpec.WHITE, FolderSpec.OnBadImage.SKIP), dir.resolve("cache").resolve("images"), Progress.NONE);
        assertThat(cached.report().cacheHit()).isTrue();
        ImageFiles.Labelled listed = ImageFiles.labelled(photos);
        List<Path> readable = listed.files().stream().filter(p -> !p.getFileName().toString().equals("truncated.png")).toList();
        assertThat(readable).hasSize(cached.train().size());
        float[] x = new float[readable.size() * 768];
        byte[] fromCache = new byte[768];
        for (int i = 0; i < readable.size(); i++) {
            byte[] px = ImageFiles.read(readable.get(i), shape, InputRule.STRETCH);
            cached.train().copyImage(i, fromCache, 0);
            assertThat(px).as(readable.get(i).toString()).isEqualTo(fromCache);
            for (int j = 0; j < 768; j++) x[i * 768 + j] = (px[j] & 0xff) / 255f;
        }
        ComputationGraph zip = ComputationGraph.load(model.resolve("model.zip").toFile(), false);
        int[] expected = zip.outputSingle(false, Nd4j.create(x, new long[]{readable.size(), 3, 16, 16}, 'c')).argMax(1).toIntVector();
        // the exported network on the campaign's validation images scores what the export reported
        Dataset data = Datasets.load(photos.toString(), null, new ImageOptions(List.of(16, 16), "stretch", "auto", "white", "skip"),
                0, 1, Progress.NONE);
        int[] val = zip.outputSingle(false, Nd4j.create(CrossRuntimeCheck.pixels(data.validation()),
                new long[]{data.validation().size(), 3, 16, 16}, 'c')).argMax(1).toIntVector();
        int right = 0;
        for (int i = 0; i < val.length; i++) if (val[i] == data.validation().label(i)) right++;
        assertThat(String.format(java.util.Locale.ROOT, "%.4f", (double) right / val.length)).isEqualTo(valAcc.group(1));
        zip.clear();

        out.reset();
        err.reset();
        assertThat(Main.run("predict", "--model", model.toString(), "--format", "csv", photos.toString())).isZero();
        List<String> rows = out.toString(StandardCharsets.UTF_8).lines().skip(1).toList();
        assertThat(rows).hasSize(readable.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",");
            assertThat(Path.of(cells[0])).isEqualTo(readable.get(i));
            assertThat(Integer.parseInt(cells[2])).as(cells[0]).isEqualTo(expected[i]);
            assertThat(cells[4]).isEqualTo(CLASSES.get(listed.labels().get(listed.files().indexOf(readable.get(i)))));
        }
        String scores = err.toString(StandardCharsets.UTF_8);
        assertThat(scores).contains("1 unreadable image skipped").contains("balanced accuracy").contains("0 circle");
        int correct = 0;
        for (int i = 0; i < readable.size(); i++) if (expected[i] == listed.labels().get(listed.files().indexOf(readable.get(i)))) correct++;
        assertThat(scores).contains("(" + correct + "/" + readable.size() + ")");
        assertThat(Arrays.stream(expected).distinct().count()).isGreaterThan(0);
    }
}
