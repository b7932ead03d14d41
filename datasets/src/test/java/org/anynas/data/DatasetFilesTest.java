package org.anynas.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetFilesTest {

    static void writeIdx(Path dir, String prefix, int n, int rows, int cols, boolean gzip, int truncateBy) throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream di = new DataOutputStream(images);
        di.writeInt(0x00000803);
        di.writeInt(n);
        di.writeInt(rows);
        di.writeInt(cols);
        for (int i = 0; i < n * rows * cols; i++) di.writeByte(i % 251);
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DataOutputStream dl = new DataOutputStream(labels);
        dl.writeInt(0x00000801);
        dl.writeInt(n);
        for (int i = 0; i < n; i++) dl.writeByte(i % 10);
        byte[] img = images.toByteArray();
        write(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), Arrays.copyOf(img, img.length - truncateBy), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), labels.toByteArray(), gzip);
    }

    private static void write(Path file, byte[] data, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(data);
        }
    }

    @Test
    void readsIdxFilesRawAndGzipped(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 50, 28, 28, true, 0);
        writeIdx(dir, "t10k", 20, 28, 28, false, 0);
        ImageSet[] sets = KnownDataset.MNIST.read(dir);
        assertThat(sets[0].size()).isEqualTo(50);
        assertThat(sets[1].size()).isEqualTo(20);
        assertThat(sets[0].label(13)).isEqualTo(3);
        assertThat(sets[0].pixels()[5]).isEqualTo((byte) 5);
    }

    @Test
    void truncatedFileIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 50, 28, 28, true, 100);
        writeIdx(dir, "t10k", 20, 28, 28, true, 0);
        assertThatThrownBy(() -> KnownDataset.FASHION_MNIST.read(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz").hasMessageContaining("truncated");
    }

    @Test
    void wrongMagicOrSizeIsAnError(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 10, 32, 32, false, 0);
        writeIdx(dir, "t10k", 10, 28, 28, false, 0);
        assertThatThrownBy(() -> KnownDataset.MNIST.read(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("32×32");
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> KnownDataset.MNIST.read(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void readsCifar10BinaryAndRejectsPartialRecords(@TempDir Path dir) throws IOException {
        Path batches = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (String f : new String[]{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin"}) {
            byte[] records = new byte[3 * 3073];
            for (int r = 0; r < 3; r++) records[r * 3073] = (byte) r;
            Files.write(batches.resolve(f), records);
        }
        assertThat(KnownDataset.CIFAR10.presentIn(dir)).isTrue();
        ImageSet[] sets = KnownDataset.CIFAR10.read(dir);
        assertThat(sets[0].size()).isEqualTo(15);
        assertThat(sets[1].shape().channels()).isEqualTo(3);
        Files.write(batches.resolve("test_batch.bin"), new byte[3073 + 7]);
        assertThatThrownBy(() -> KnownDataset.CIFAR10.read(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("test_batch.bin").hasMessageContaining("whole number");
    }

    @Test
    void locatorFollowsTheResolutionOrder(@TempDir Path tmp) throws IOException {
        Path explicit = Files.createDirectories(tmp.resolve("explicit"));
        Path envDir = Files.createDirectories(tmp.resolve("env/mnist"));
        Path home = tmp.resolve("home");
        Path cache = Files.createDirectories(home.resolve(".cache/anynas/mnist"));
        Path system = Files.createDirectories(tmp.resolve("system/mnist"));
        DatasetLocator locator = DatasetLocator.of(Map.of("ANYNAS_DATA", tmp.resolve("env").toString()), home,
                tmp.resolve("system"), false);
        writeIdx(system, "train", 5, 28, 28, true, 0);
        writeIdx(system, "t10k", 5, 28, 28, true, 0);
        assertThat(locator.locate(KnownDataset.MNIST, null)).isEqualTo(system);
        writeIdx(cache, "train", 5, 28, 28, true, 0);
        writeIdx(cache, "t10k", 5, 28, 28, true, 0);
        assertThat(locator.locate(KnownDataset.MNIST, null)).isEqualTo(cache);
        writeIdx(envDir, "train", 5, 28, 28, true, 0);
        writeIdx(envDir, "t10k", 5, 28, 28, true, 0);
        assertThat(locator.locate(KnownDataset.MNIST, null)).isEqualTo(envDir);
        writeIdx(explicit, "train", 5, 28, 28, true, 0);
        writeIdx(explicit, "t10k", 5, 28, 28, true, 0);
        assertThat(locator.locate(KnownDataset.MNIST, explicit)).isEqualTo(explicit);
    }

    @Test
    void whenNothingIsFoundOneMessageListsEveryPlaceAndTheWaysToProvideData(@TempDir Path tmp) {
        DatasetLocator locator = DatasetLocator.of(Map.of("ANYNAS_DATA", tmp.resolve("env").toString()),
                tmp.resolve("home"), tmp.resolve("system"), false);
        assertThatThrownBy(() -> locator.locate(KnownDataset.FASHION_MNIST, null))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(tmp.resolve("env/fashion-mnist").toString())
                .hasMessageContaining(tmp.resolve("home/.cache/anynas/fashion-mnist").toString())
                .hasMessageContaining(tmp.resolve("system/fashion-mnist").toString())
                .hasMessageContaining("--data-dir").hasMessageContaining("ANYNAS_DATA")
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageNotContaining("\n");
    }

    @Test
    void downloadWithWrongChecksumLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        writeIdx(mirror, "train", 5, 28, 28, true, 0);
        writeIdx(mirror, "t10k", 5, 28, 28, true, 0);
        DatasetLocator locator = DatasetLocator.of(Map.of("ANYNAS_MIRROR", mirror.toUri().toString()),
                tmp.resolve("home"), tmp.resolve("system"), true);
        assertThatThrownBy(() -> locator.locate(KnownDataset.MNIST, null)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("checksum mismatch");
        try (var files = Files.list(locator.cacheDir(KnownDataset.MNIST))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void splitIsSeededDeterministicAndDisjoint() {
        ImageSet all = SyntheticImages.generate(300, 3);
        ImageSet test = SyntheticImages.generate(10, 4);
        Dataset a = Split.of("s", all, test, 60, 11);
        Dataset b = Split.of("s", all, test, 60, 11);
        Dataset c = Split.of("s", all, test, 60, 12);
        assertThat(a.validation().pixels()).isEqualTo(b.validation().pixels());
        assertThat(a.validation().pixels()).isNotEqualTo(c.validation().pixels());
        assertThat(a.train().size() + a.validation().size()).isEqualTo(300);
        int[] order = Split.permutation(300, 11);
        Set<Integer> val = new HashSet<>();
        for (int i = 0; i < 60; i++) val.add(order[i]);
        for (int i = 60; i < 300; i++) assertThat(val).doesNotContain(order[i]);
        assertThat(a.test()).isSameAs(test);
    }
}
