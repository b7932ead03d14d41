package org.anynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CacheTest {

    private static Path entry(Path dir, String marker, long bytes, Duration age) throws Exception {
        Files.createDirectories(dir);
        Path m = marker == null ? dir : dir.resolve(marker);
        if (marker != null) Files.write(m, new byte[(int) bytes]);
        else Files.write(dir.resolve("worker.py"), new byte[(int) bytes]);
        Files.setLastModifiedTime(m, FileTime.from(Instant.now().minus(age)));
        return dir;
    }

    @Test
    void listsTheThreeKindsLeastRecentlyUsedFirstAndPrunesOnlyTheOldOnesWithTheirLocks(@TempDir Path base) throws Exception {
        Path oldImages = entry(base.resolve("images/photos-aaaaaaaaaaaaaaaaaaaa"), "meta.json", 100, Duration.ofDays(40));
        Path lock = Files.writeString(base.resolve("images/photos-aaaaaaaaaaaaaaaaaaaa.lock"), "");
        Path newImages = entry(base.resolve("images/photos-bbbbbbbbbbbbbbbbbbbb"), "meta.json", 200, Duration.ofDays(1));
        Path oldSplit = entry(base.resolve("splits/fashion-mnist-cccccccccccccccc"), "meta.json", 300, Duration.ofDays(31));
        Path worker = entry(base.resolve("anynas-torch-dddddddddddd"), null, 50, Duration.ofDays(60));
        Path download = Files.createDirectories(base.resolve("fashion-mnist"));
        Files.write(download.resolve("train-images-idx3-ubyte.gz"), new byte[10]);

        List<Cache.Entry> all = Cache.entries(base);
        assertThat(all).extracting(Cache.Entry::path).containsExactly(worker, oldImages, oldSplit, newImages);
        assertThat(all).extracting(Cache.Entry::kind).containsExactly("worker", "images", "splits", "images");
        assertThat(all.get(1).bytes()).isEqualTo(100);

        Path stranger = Files.createDirectories(base.resolve("images/holiday-photos"));
        Files.setLastModifiedTime(stranger, FileTime.from(Instant.now().minus(Duration.ofDays(400))));
        List<Cache.Entry> removed = Cache.prune(base, Duration.ofDays(30)).removed();
        assertThat(removed).extracting(Cache.Entry::path).containsExactly(worker, oldImages, oldSplit);
        assertThat(worker).doesNotExist();
        assertThat(oldImages).doesNotExist();
        assertThat(lock).as("a build may hold it").exists();
        assertThat(stranger).as("not named by a key: not the cache's").exists();
        assertThat(oldSplit).doesNotExist();
        assertThat(newImages.resolve("meta.json")).exists();
        assertThat(download.resolve("train-images-idx3-ubyte.gz")).as("downloads are not the cache's to prune").exists();
    }

    @Test
    void aReusedEntryIsMarkedUsedNowAndSurvivesAPrune(@TempDir Path base) throws Exception {
        Path split = entry(base.resolve("splits/synthetic-eeeeeeeeeeeeeeee"), "meta.json", 10, Duration.ofDays(90));
        Cache.markUsed(split.resolve("meta.json"));
        assertThat(Cache.prune(base, Duration.ofDays(7)).removed()).isEmpty();
        assertThat(split).exists();
        assertThat(Cache.entries(base.resolve("missing"))).isEmpty();
    }
}
