package org.anynas.torch;

import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.data.ImageSet;
import org.anynas.data.folder.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A folder's images reach a PyTorch worker bit for bit as DL4J trains on them: same bytes, order, labels and shape. */
class FolderSplitFilesTest {

    @Test
    void theWorkerLoadsExactlyTheEnginesPixelsOfAFolder(@TempDir Path dir) throws Exception {
        TorchProbe torch = Torch.required();
        Path photos = dir.resolve("photos");
        Random random = new Random(5);
        for (String part : List.of("train", "test")) {
            for (String c : List.of("a", "b", "c")) {
                Files.createDirectories(photos.resolve(part).resolve(c));
                for (int i = 0; i < (part.equals("train") ? 20 : 6); i++) {
                    BufferedImage img = new BufferedImage(15 + random.nextInt(20), 15 + random.nextInt(20), BufferedImage.TYPE_INT_ARGB);
                    for (int y = 0; y < img.getHeight(); y++) {
                        for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, random.nextInt());
                    }
                    ImageIO.write(img, "png", photos.resolve(part).resolve(c).resolve(i + ".png").toFile());
                }
            }
        }
        System.setProperty("anynas.cache", dir.resolve("cache").toString());
        Dataset data;
        try {
            // non-square, colour, letterboxed: nothing about the layout is left to a default
            data = Datasets.load(photos.toString(), null, new ImageOptions(List.of(12, 20), "pad", "3", "#102030", "skip"), 0, 7,
                    Progress.NONE);
        } finally {
            System.clearProperty("anynas.cache");
        }
        assertThat(data.shape().toString()).contains("12").contains("20");
        Path split = SplitFiles.write(data, dir.resolve("splits"));
        Path sources = WorkerSources.unpack(dir.resolve("worker"));
        String script = String.join("\n",
                "import hashlib, sys",
                "from anynas_torch.data import SplitData",
                "d = SplitData(sys.argv[1], 'cpu')",
                "print(list(d.shape))",
                "for part in ('train', 'val', 'test'):",
                "    p = d.part(part)",
                "    print(part, len(p), hashlib.sha256(p.pixels.numpy().tobytes()).hexdigest(),",
                "          hashlib.sha256(p.labels.numpy().astype('uint8').tobytes()).hexdigest())");
        ProcessBuilder pb = new ProcessBuilder(torch.python(), "-c", script, split.toString()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", sources.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        List<String> lines = output.strip().lines().toList();
        assertThat(lines.get(0)).isEqualTo("[3, 12, 20]");
        ImageSet[] parts = {data.train(), data.validation(), data.test()};
        String[] names = {"train", "val", "test"};
        for (int k = 0; k < 3; k++) {
            assertThat(lines.get(k + 1)).isEqualTo(names[k] + " " + parts[k].size() + " " + sha(parts[k]) + " " + labels(parts[k]));
        }
    }

    private static String sha(ImageSet set) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] image = new byte[set.imageBytes()];
        for (int i = 0; i < set.size(); i++) {
            set.copyImage(i, image, 0);
            md.update(image);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String labels(ImageSet set) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(set.labels()));
    }
}
