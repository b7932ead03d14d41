package org.anynas.data.folder;

import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.anynas.data.folder.FolderDataTest.all;
import static org.anynas.data.folder.TestImages.grey;
import static org.anynas.data.folder.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;

class FolderCacheTest {

    static Path folder(Path src, int images) {
        for (int i = 0; i < images; i++) png(src.resolve((i % 3 == 0 ? "x" : "y") + "/" + i + ".png"), grey(16 + i % 5, 16, i));
        return src;
    }

    static String digest(FolderDataset d) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(all(d.train()));
        for (int l : d.train().labels()) sha.update((byte) l);
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void twoThreadsOpeningAtOnceBuildOnce(@TempDir Path tmp) throws Exception {
        Path src = folder(tmp.resolve("src"), 120);
        Path cache = tmp.resolve("cache");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<FolderDataset>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
                }));
            }
            FolderDataset a = runs.get(0).get(60, TimeUnit.SECONDS);
            FolderDataset b = runs.get(1).get(60, TimeUnit.SECONDS);
            assertThat(a.report().cacheHit() ^ b.report().cacheHit()).as("exactly one built").isTrue();
            assertThat(digest(a)).isEqualTo(digest(b));
            assertThat(a.train().size()).isEqualTo(120);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Run by {@link #twoProcessesOpeningAtOnceBuildOnce}: opens the folder and prints "hit|built digest". */
    public static void main(String[] args) throws Exception {
        FolderDataset d = FolderData.open(FolderSpec.of(Path.of(args[0])), Path.of(args[1]), Progress.NONE);
        System.out.println((d.report().cacheHit() ? "hit " : "built ") + digest(d));
    }

    @Test
    void twoProcessesOpeningAtOnceBuildOnce(@TempDir Path tmp) throws Exception {
        Path src = folder(tmp.resolve("src"), 300);
        Path cache = tmp.resolve("cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                    FolderCacheTest.class.getName(), src.toString(), cache.toString())
                    .redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            outputs.add(out.substring(out.lastIndexOf('\n') + 1));
        }
        assertThat(outputs).extracting(o -> o.split(" ")[0]).containsExactlyInAnyOrder("built", "hit");
        assertThat(outputs.get(0).split(" ")[1]).isEqualTo(outputs.get(1).split(" ")[1]);
        FolderDataset here = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(here.report().cacheHit()).isTrue();
        assertThat(digest(here)).isEqualTo(outputs.get(0).split(" ")[1]);
    }

    @Test
    void aStaleTemporaryFolderAndABrokenEntryAreRebuilt(@TempDir Path tmp) throws Exception {
        Path src = folder(tmp.resolve("src"), 9);
        Path cache = tmp.resolve("cache");
        FolderDataset first = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        Path dir = first.report().cacheDir();
        Path stale = Files.createDirectories(cache.resolve(dir.getFileName() + ".tmp-dead"));
        Files.delete(dir.resolve("meta.json")); // as if a copy was cut short
        FolderDataset again = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(again.report().cacheHit()).isFalse();
        assertThat(stale).doesNotExist();
        assertThat(digest(again)).isEqualTo(digest(first));
    }

    @Test
    void mappedImagesSpanSeveralMappingsOfWholeImages(@TempDir Path tmp) throws IOException {
        Shape shape = Shape.of(1, 2, 3); // 6 bytes an image
        int n = 10;
        byte[] px = new byte[n * 6];
        for (int i = 0; i < px.length; i++) px[i] = (byte) i;
        Path pixels = Files.write(tmp.resolve("train.pixels"), px);
        ByteBuffer lb = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) lb.putInt(i % 4);
        Path labels = Files.write(tmp.resolve("train.labels"), lb.array());

        for (long chunk : new long[]{6, 13, 59, MappedImages.MAX_CHUNK}) {
            MappedImages m = MappedImages.open(pixels, labels, shape, chunk);
            assertThat(m.mappings()).as("chunk %d", chunk).isEqualTo(chunk == 6 ? 10 : chunk == 13 ? 5 : chunk == 59 ? 2 : 1);
            byte[] got = new byte[n * 6 + 3];
            for (int i = n - 1; i >= 0; i--) m.copyImage(i, got, 3 + i * 6);
            assertThat(java.util.Arrays.copyOfRange(got, 3, got.length)).isEqualTo(px);
            assertThat(m.label(9)).isEqualTo(1);
            assertThat(m.size()).isEqualTo(10);
        }
    }
}
