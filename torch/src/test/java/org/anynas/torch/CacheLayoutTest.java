package org.anynas.torch;

import org.anynas.data.Cache;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.data.folder.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the producers write into the cache is what {@code ./nas cache list} and {@code prune} find: one layout. */
class CacheLayoutTest {

    @AfterEach
    void clear() {
        System.clearProperty("anynas.cache");
    }

    @Test
    void aDecodedFolderASplitAndTheWorkerSourcesAreEachListedAndPrunedAsTheirKind(@TempDir Path dir) throws Exception {
        Path photos = dir.resolve("photos");
        for (String c : List.of("a", "b")) {
            Files.createDirectories(photos.resolve(c));
            for (int i = 0; i < 8; i++) {
                BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i, c.equals("a") ? 1 : 8, 0, 255);
                ImageIO.write(img, "png", photos.resolve(c).resolve(i + ".png").toFile());
            }
        }
        Path base = dir.resolve("cache");
        System.setProperty("anynas.cache", base.toString());
        Dataset data = Datasets.load(photos.toString(), null, ImageOptions.DEFAULTS, 4, 1, Progress.NONE);
        // no worker starts: TorchSlots only unpacks the sources and writes the split, where a campaign's would be
        TorchSlots.of(TorchSettings.defaults(), new TorchProbe("python3", "2.0", false, "", List.of()), data,
                dir.resolve("worker.log"), java.util.Map.of());

        List<Cache.Entry> entries = Cache.entries(base);
        assertThat(entries).extracting(Cache.Entry::kind).containsExactlyInAnyOrder("images", "splits", "worker");
        assertThat(entries).allSatisfy(e -> assertThat(e.bytes()).isPositive());

        Cache.Pruned pruned = Cache.prune(base, Duration.ZERO);
        assertThat(pruned.failed()).isEmpty();
        assertThat(pruned.removed()).hasSize(3);
        assertThat(Cache.entries(base)).isEmpty();
        try (var left = Files.walk(base)) { // only folders and the image folder's empty lock file stay
            assertThat(left.filter(Files::isRegularFile).map(f -> base.relativize(f).toString()))
                    .allMatch(f -> f.startsWith("images/") && f.endsWith(".lock"));
        }
    }
}
