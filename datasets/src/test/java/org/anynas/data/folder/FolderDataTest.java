package org.anynas.data.folder;

import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.anynas.data.folder.TestImages.grey;
import static org.anynas.data.folder.TestImages.png;
import static org.anynas.data.folder.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;

class FolderDataTest {

    /** Every byte of every image, in order. */
    static byte[] all(MappedImages m) {
        int per = (int) m.shape().elements();
        byte[] out = new byte[m.size() * per];
        for (int i = 0; i < m.size(); i++) m.copyImage(i, out, i * per);
        return out;
    }

    static int[] labels(MappedImages m) {
        int[] out = new int[m.size()];
        for (int i = 0; i < out.length; i++) out[i] = m.label(i);
        return out;
    }

    /** Counts what the progress callback was told. */
    static final class Counting implements Progress {
        long total = -1;
        long advanced;
        int done;

        @Override
        public void start(long t) {
            total = t;
        }

        @Override
        public void advance(long n) {
            advanced += n;
        }

        @Override
        public void done() {
            done++;
        }
    }

    @Test
    void classFoldersAreSortedByNameAndFilesByRelativePath(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("pets");
        // class "Zebra" sorts before "cat" (ordinal order, as ImageFolder); nested folders belong to their class
        png(src.resolve("cat/b.png"), grey(8, 8, 20));
        png(src.resolve("cat/a.png"), grey(8, 8, 10));
        png(src.resolve("cat/sub/a.png"), grey(8, 8, 30));
        png(src.resolve("Zebra/x.PNG"), grey(8, 8, 40));
        TestImages.text(src.resolve("cat/notes.txt"), "not an image");
        TestImages.text(src.resolve("cat/.DS_Store"), "junk");
        TestImages.text(src.resolve("Thumbs.db"), "junk");
        png(src.resolve(".git/objects/x.png"), grey(8, 8, 99));
        Counting progress = new Counting();

        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), progress);

        assertThat(d.classNames()).containsExactly("Zebra", "cat");
        assertThat(d.shape()).isEqualTo(Shape.of(1, 8, 8));
        assertThat(d.train().size()).isEqualTo(4);
        assertThat(labels(d.train())).containsExactly(0, 1, 1, 1);
        byte[] px = all(d.train());
        assertThat(new int[]{px[0], px[64], px[128], px[192]}).containsExactly(40, 10, 20, 30);
        assertThat(d.val()).isNull();
        assertThat(d.test()).isNull();
        FolderReport r = d.report();
        assertThat(r.ignoredFiles()).isEqualTo(4);
        assertThat(r.badFiles()).isEmpty();
        assertThat(r.cacheHit()).isFalse();
        assertThat(r.sizeNote()).isEqualTo("all 4 images are 8×8");
        assertThat(r.channelsNote()).isEqualTo("1 channel: all 4 images are grey");
        assertThat(r.imagesPerClass().get(FolderSplit.TRAIN)).containsExactly(1, 3);
        assertThat(progress.total).isEqualTo(4);
        assertThat(progress.advanced).isEqualTo(4);
        assertThat(progress.done).isEqualTo(1);
        assertThat(r.lines(d.classNames())).first().isEqualTo("train: 4 images in 2 classes (fewest: Zebra 1, most: cat 3)");
    }

    @Test
    void secondOpenIsACacheHitThatDecodesNothing(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("data");
        for (int i = 0; i < 6; i++) png(src.resolve((i % 2 == 0 ? "a" : "b") + "/" + i + ".png"), rgb(10, 12, i * 40, 7, 200));
        FolderDataset first = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);
        Counting progress = new Counting();

        FolderDataset second = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), progress);

        assertThat(second.report().cacheHit()).isTrue();
        assertThat(progress.total).isEqualTo(-1);
        assertThat(progress.advanced).isZero();
        assertThat(second.report().cacheDir()).isEqualTo(first.report().cacheDir());
        assertThat(second.shape()).isEqualTo(Shape.of(3, 12, 10));
        assertThat(all(second.train())).isEqualTo(all(first.train()));
        assertThat(second.report().sizeNote()).isEqualTo(first.report().sizeNote());
    }

    @Test
    void aChangedAddedOrRemovedFileOrOtherSettingsMakeANewEntry(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("data");
        Path a0 = png(src.resolve("a/0.png"), grey(8, 8, 10));
        png(src.resolve("b/0.png"), grey(8, 8, 20));
        Path cache = tmp.resolve("cache");
        List<Path> dirs = new ArrayList<>();
        dirs.add(FolderData.open(FolderSpec.of(src), cache, Progress.NONE).report().cacheDir());

        // the same bytes, a new modification time: rebuilt
        Files.setLastModifiedTime(a0, FileTime.fromMillis(Files.getLastModifiedTime(a0).toMillis() + 5000));
        FolderDataset touched = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(touched.report().cacheHit()).isFalse();
        dirs.add(touched.report().cacheDir());

        png(a0, grey(8, 8, 77)); // rewritten
        FolderDataset rewritten = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(rewritten.report().cacheHit()).isFalse();
        assertThat(all(rewritten.train())[0]).isEqualTo((byte) 77);
        dirs.add(rewritten.report().cacheDir());

        png(src.resolve("b/1.png"), grey(8, 8, 30)); // added
        FolderDataset added = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(added.train().size()).isEqualTo(3);
        dirs.add(added.report().cacheDir());

        Files.delete(src.resolve("b/1.png")); // removed: the same files as before, so the earlier entry again
        FolderDataset removed = FolderData.open(FolderSpec.of(src), cache, Progress.NONE);
        assertThat(removed.report().cacheHit()).isTrue();
        assertThat(removed.report().cacheDir()).isEqualTo(rewritten.report().cacheDir());

        FolderDataset bigger = FolderData.open(FolderSpec.of(src).withImageSize(4, 4), cache, Progress.NONE);
        assertThat(bigger.report().cacheHit()).isFalse();
        assertThat(bigger.shape()).isEqualTo(Shape.of(1, 4, 4));
        dirs.add(bigger.report().cacheDir());
        assertThat(dirs).doesNotHaveDuplicates();
        // old entries stay; no temporary folder is left behind
        try (var list = Files.list(cache)) {
            assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-"))).isEmpty();
        }
        for (Path d : dirs) assertThat(d.resolve("meta.json")).exists();
    }

    @Test
    void decodingTwiceGivesTheSameBytes(@TempDir Path tmp) throws IOException {
        Path src = tmp.resolve("mixed");
        for (int i = 0; i < 8; i++) {
            java.awt.image.BufferedImage img = rgb(13 + 7 * i, 29 - i, 0, 0, 0);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, (x * 37 + y * 11 + i) * 0x010203 & 0xffffff);
            }
            if (i % 2 == 0) png(src.resolve("a/" + i + ".png"), img);
            else TestImages.write(src.resolve("b/" + i + ".jpg"), img, "jpeg");
        }
        for (FolderSpec.Resize resize : FolderSpec.Resize.values()) {
            FolderSpec spec = FolderSpec.of(src).withResize(resize);
            FolderDataset one = FolderData.open(spec, tmp.resolve("c1"), Progress.NONE, 2);
            FolderDataset two = FolderData.open(spec, tmp.resolve("c2"), Progress.NONE, 1);
            assertThat(two.report().cacheHit()).isFalse();
            assertThat(all(two.train())).isEqualTo(all(one.train()));
            assertThat(Files.readAllBytes(two.report().cacheDir().resolve("train.pixels")))
                    .isEqualTo(Files.readAllBytes(one.report().cacheDir().resolve("train.pixels")));
        }
    }
}
