package org.anynas.data;

import org.anynas.trainer.EvaluationResult;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.data.folder.Progress;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Downsample;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fashion-MNIST written out as PNG files with a CSV in the IDX files' order is the same dataset as the built-in one:
 * the same pixels in the same order, split by the same rule, so the same seed trains to the same score. Here on a
 * slice (1,200 training and 300 test images); bench/results/folder-*.md does it on all 70,000.
 */
class FolderEqualsBuiltInTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void aCsvOfPngsInIdxOrderGivesTheBuiltInSplitAndScore(@TempDir Path dir) throws Exception {
        assumeTrue(KnownDataset.FASHION_MNIST.presentIn(FASHION), "Debian's dataset-fashion-mnist is not installed (.ci/run installs it)");
        ImageSet[] idx = KnownDataset.FASHION_MNIST.read(FASHION);
        ImageSet train = idx[0].first(1200);
        ImageSet test = idx[1].first(300);
        List<String> rows = new ArrayList<>(List.of("path,label,split"));
        for (var part : List.of(new Object[]{"train", train}, new Object[]{"test", test})) {
            String name = (String) part[0];
            ImageSet set = (ImageSet) part[1];
            Files.createDirectories(dir.resolve(name));
            byte[] px = new byte[784];
            for (int i = 0; i < set.size(); i++) {
                set.copyImage(i, px, 0);
                BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                png.getRaster().setDataElements(0, 0, 28, 28, px);
                String file = name + "/" + i + ".png";
                ImageIO.write(png, "png", dir.resolve(file).toFile());
                rows.add(file + "," + set.label(i) + "," + name);
            }
        }
        Path csv = dir.resolve("fashion.csv");
        Files.write(csv, rows);

        Dataset builtIn = Split.of("fashion-mnist", train, test, 300, 11);
        System.setProperty("anynas.cache", dir.resolve("cache").toString());
        Dataset folder;
        try {
            folder = Datasets.load(csv.toString(), null, ImageOptions.DEFAULTS, 300, 11, Progress.NONE);
        } finally {
            System.clearProperty("anynas.cache");
        }
        assertThat(folder.shape()).isEqualTo(builtIn.shape());
        assertThat(folder.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        for (String part : List.of("train", "validation", "test")) {
            ImageSet a = part(builtIn, part);
            ImageSet b = part(folder, part);
            assertThat(b.labels()).as(part).isEqualTo(a.labels());
            assertThat(b.pixels()).as(part).isEqualTo(a.pixels());
        }

        Architecture arch = Architecture.of(train.shape(), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 1, 16).withDownsample(Downsample.MAX_POOL)), Head.of(0));
        Fidelity f = new Fidelity(1, 600, 300, 50, Fidelity.Optimizer.ADAM, 4e-3, Fidelity.Schedule.COSINE, 5e-5, 2);
        EvaluationResult a = ProxyTrainer.of(builtIn, Duration.ofMinutes(5)).withoutInferenceTiming().evaluate(arch, f);
        EvaluationResult b = ProxyTrainer.of(folder, Duration.ofMinutes(5)).withoutInferenceTiming().evaluate(arch, f);
        assertThat(b.valAccuracy()).isEqualTo(a.valAccuracy());
        assertThat(b.valLoss()).isEqualTo(a.valLoss());
        assertThat(b.trainLoss()).isEqualTo(a.trainLoss());
    }

    private static ImageSet part(Dataset d, String part) {
        return switch (part) {
            case "train" -> d.train();
            case "validation" -> d.validation();
            default -> d.test();
        };
    }
}
