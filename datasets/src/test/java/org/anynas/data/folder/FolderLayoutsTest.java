package org.anynas.data.folder;

import org.anynas.data.DatasetException;
import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.anynas.data.folder.FolderDataTest.all;
import static org.anynas.data.folder.FolderDataTest.labels;
import static org.anynas.data.folder.TestImages.grey;
import static org.anynas.data.folder.TestImages.png;
import static org.anynas.data.folder.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderLayoutsTest {

    @Test
    void trainValTestFoldersShareTrainsClasses(@TempDir Path tmp) {
        Path src = tmp.resolve("split");
        png(src.resolve("train/cat/0.png"), grey(5, 5, 1));
        png(src.resolve("train/cat/1.png"), grey(5, 5, 2));
        png(src.resolve("train/dog/0.png"), grey(5, 5, 3));
        png(src.resolve("validation/dog/0.png"), grey(5, 5, 4));
        png(src.resolve("test/cat/0.png"), grey(5, 5, 5));
        png(src.resolve("test/dog/0.png"), grey(5, 5, 6));

        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);

        assertThat(d.classNames()).containsExactly("cat", "dog");
        assertThat(labels(d.train())).containsExactly(0, 0, 1);
        assertThat(labels(d.val())).containsExactly(1);
        assertThat(labels(d.test())).containsExactly(0, 1);
        assertThat(all(d.val())[0]).isEqualTo((byte) 4);
        assertThat(all(d.test())[25]).isEqualTo((byte) 6);
        assertThat(d.report().layout()).isEqualTo("train/ val/ test/ folders");
        assertThat(d.report().imagesPerClass().get(FolderSplit.VAL)).containsExactly(0, 1);
    }

    @Test
    void aValClassMissingFromTrainIsAnError(@TempDir Path tmp) {
        Path src = tmp.resolve("split");
        png(src.resolve("train/cat/0.png"), grey(5, 5, 1));
        png(src.resolve("train/dog/0.png"), grey(5, 5, 3));
        png(src.resolve("val/bird/0.png"), grey(5, 5, 4));
        assertThatThrownBy(() -> FolderData.open(FolderSpec.of(src), tmp.resolve("c"), Progress.NONE))
                .isInstanceOf(DatasetException.class)
                .hasMessage("val/bird/ in " + src + " is not a class of train/: add train/bird/ or remove val/bird/");
    }

    @Test
    void csvKeepsRowOrderAndIntegerLabelsAreTheirOwnIndex(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("csvdata");
        List<String> lines = new ArrayList<>();
        lines.add("path,label,split");
        Random random = new Random(7);
        int[] trainLabels = new int[60];
        for (int i = 0; i < 60; i++) {
            trainLabels[i] = random.nextInt(12); // labels 0..11: "10" and "11" sort after "9" as numbers
            png(dir.resolve("img/" + i + ".png"), grey(4, 4, i));
            lines.add("img/" + i + ".png," + trainLabels[i]);
        }
        png(dir.resolve("img/t.png"), grey(4, 4, 200));
        lines.add(3, "img/t.png,5,test");
        png(dir.resolve("img/v.png"), grey(4, 4, 201));
        lines.add(10, "\"img/v.png\",11,validation");
        for (int c = 0; c < 12; c++) {
            png(dir.resolve("img/extra" + c + ".png"), grey(4, 4, 100 + c));
            lines.add("img/extra" + c + ".png," + c + ",train");
        }
        Path csv = Files.write(dir.resolve("list.csv"), lines);

        FolderDataset d = FolderData.open(FolderSpec.of(csv), tmp.resolve("cache"), Progress.NONE);

        assertThat(d.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        assertThat(d.train().size()).isEqualTo(72);
        byte[] px = all(d.train());
        for (int i = 0; i < 60; i++) {
            assertThat(px[i * 16] & 0xff).as("row %d", i).isEqualTo(i);
            assertThat(d.train().label(i)).isEqualTo(trainLabels[i]);
        }
        assertThat(d.train().label(60 + 11)).isEqualTo(11);
        assertThat(all(d.test())[0] & 0xff).isEqualTo(200);
        assertThat(d.test().label(0)).isEqualTo(5);
        assertThat(d.val().label(0)).isEqualTo(11);
        assertThat(d.report().layout()).isEqualTo("csv");
    }

    @Test
    void csvTextLabelsSortAsStringsWithoutHeader(@TempDir Path tmp) throws IOException {
        png(tmp.resolve("a.png"), grey(4, 4, 1));
        png(tmp.resolve("b.png"), grey(4, 4, 2));
        png(tmp.resolve("c.png"), grey(4, 4, 3));
        Path csv = Files.writeString(tmp.resolve("x.csv"), "\uFEFFa.png,dog\n\nb.png,cat\nc.png,Dog\n");
        FolderDataset d = FolderData.open(FolderSpec.of(csv), tmp.resolve("cache"), Progress.NONE);
        assertThat(d.classNames()).containsExactly("Dog", "cat", "dog");
        assertThat(labels(d.train())).containsExactly(2, 1, 0);
    }

    @Test
    void mixedSizesGetTheMedianCappedAt128(@TempDir Path tmp) {
        Path src = tmp.resolve("mixed");
        // heights 100, 300, 400, 600, 900 and widths 80, 200, 500, 500, 700 → median 400 × 500 → capped 102 × 128
        png(src.resolve("a/0.png"), rgb(80, 100, 1, 2, 3));
        png(src.resolve("a/1.png"), grey(500, 300, 9));
        png(src.resolve("a/2.png"), grey(200, 400, 9));
        png(src.resolve("b/0.png"), grey(700, 900, 9));
        png(src.resolve("b/1.png"), grey(500, 600, 9));
        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);
        assertThat(d.shape()).isEqualTo(Shape.of(3, 102, 128));
        assertThat(d.report().sizeNote()).isEqualTo("image size 102×128: the median of 5 images (sizes 100×80 … 900×700),"
                + " capped at 128 on the longer side, resized by stretch");
        byte[] img = new byte[3 * 102 * 128];
        d.train().copyImage(1, img, 0);
        for (byte b : img) assertThat(b).isEqualTo((byte) 9); // a uniform image stays exactly uniform
    }

    @Test
    void tinyMedianIsRaisedToEight(@TempDir Path tmp) {
        Path src = tmp.resolve("tiny");
        png(src.resolve("a/0.png"), grey(3, 4, 9));
        png(src.resolve("b/0.png"), grey(5, 6, 9));
        FolderDataset d = FolderData.open(FolderSpec.of(src), tmp.resolve("cache"), Progress.NONE);
        assertThat(d.shape()).isEqualTo(Shape.of(1, 8, 8));
        assertThat(d.report().sizeNote()).endsWith("raised to at least 8, resized by stretch");
    }
}
