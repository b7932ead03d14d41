package org.anynas.data;

import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SplitTest {

    /** 3 classes of 600, 300 and 100 images; pixel value = index mod 256 so that images can be told apart. */
    private static ImageSet imbalanced() {
        int n = 1000;
        byte[] px = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i < 600 ? 0 : i < 900 ? 1 : 2);
            px[i * 4] = (byte) i;
            px[i * 4 + 1] = (byte) (i >> 8);
        }
        return new ImageSet("imb", Shape.of(1, 2, 2), 3, px, labels);
    }

    @Test
    void validationHoldsEachClassInProportion() {
        Dataset d = Split.of("imb", imbalanced(), null, 100, 5);
        assertThat(d.validation().classCounts()).containsExactly(60, 30, 10);
        assertThat(d.train().classCounts()).containsExactly(540, 270, 90);
    }

    @Test
    void sharesOfAnUnevenTotal() {
        assertThat(Split.quotas(new int[]{30, 20, 20}, 10)).containsExactly(4, 3, 3);
        assertThat(Split.quotas(new int[]{5, 5}, 3)).containsExactly(2, 1); // a tie goes to the lower class
    }

    @Test
    void trainAndValidationPartitionTheSetAndTheSeedDecides() {
        ImageSet all = imbalanced();
        Dataset a = Split.of("imb", all, null, 100, 5);
        Dataset b = Split.of("imb", all, null, 100, 5);
        Dataset c = Split.of("imb", all, null, 100, 6);
        assertThat(a.validation().pixels()).isEqualTo(b.validation().pixels());
        assertThat(a.validation().pixels()).isNotEqualTo(c.validation().pixels());
        Set<Integer> seen = new HashSet<>();
        for (ImageSet part : new ImageSet[]{a.train(), a.validation()}) {
            byte[] px = part.pixels();
            for (int i = 0; i < part.size(); i++) seen.add((px[i * 4] & 0xff) | (px[i * 4 + 1] & 0xff) << 8);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void aSelectionOfASelectionReadsTheBaseImages() {
        ImageSet all = imbalanced();
        ImageSet twice = all.select(new int[]{10, 20, 30}, "/a").select(new int[]{2, 0}, "/b");
        byte[] image = new byte[4];
        twice.copyImage(0, image, 0);
        assertThat(image[0]).isEqualTo((byte) 30);
        twice.copyImage(1, image, 0);
        assertThat(image[0]).isEqualTo((byte) 10);
        assertThat(Arrays.equals(twice.labels(), new byte[]{0, 0})).isTrue();
    }
}
