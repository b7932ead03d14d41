package org.anynas.evaluator;

import org.anynas.evaluator.data.ImageSet;
import org.anynas.evaluator.data.SyntheticImages;
import org.anynas.space.Fidelity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinalTrainerTest {
    static final ImageSet IMAGES = SyntheticImages.generate(64, 11);
    static final byte[] PIXELS = IMAGES.pixels();
    static final float[][] NORM = Tensors.meanStd(IMAGES);

    @Test
    void keepsTheBestEpochAndMeasuresTheTestSetOnIt() {
        Fidelity f = new Fidelity(4, 900, 300, 32, Fidelity.Optimizer.ADAM, 0.02, Fidelity.Schedule.CONSTANT, 0, 5);
        List<FinalTrainer.Epoch> seen = new ArrayList<>();
        FinalTrainer.Outcome r = FinalTrainer.of(ProxyTrainerTest.DATA).train(ProxyTrainerTest.SMALL, f,
                Augmentation.cropAndFlip(SyntheticImages.SHAPE, true), seen::add);

        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(seen).hasSize(4).isEqualTo(r.epochs());
        double bestAcc = seen.stream().mapToDouble(FinalTrainer.Epoch::valAccuracy).max().orElseThrow();
        FinalTrainer.Epoch best = seen.stream().filter(FinalTrainer.Epoch::best).reduce((a, b) -> b).orElseThrow();
        assertThat(best.epoch()).isEqualTo(r.bestEpoch());
        assertThat(best.valAccuracy()).isEqualTo(bestAcc);
        // the returned network carries the best epoch's weights, not the last epoch's
        Tensors val = Tensors.of(ProxyTrainerTest.DATA.validation().first(300), Tensors.meanStd(ProxyTrainerTest.DATA.train().first(900)));
        assertThat(ProxyTrainer.validate(r.network(), val)[0]).isEqualTo(bestAcc);
        assertThat(r.testSize()).isEqualTo(ProxyTrainerTest.DATA.test().size());
        assertThat(r.testAccuracy()).isGreaterThan(0.4); // chance is 0.25; 0.48 on the stratified split (evaluator version 4)
        r.network().clear();
    }

    @Test
    void anArchitectureForAnotherInputIsRejectedBeforeTraining() {
        var mnistArch = org.anynas.space.Architecture.of(org.anynas.space.Shape.of(1, 28, 28), 10,
                ProxyTrainerTest.SMALL.activation(), ProxyTrainerTest.SMALL.stem(), ProxyTrainerTest.SMALL.stages(),
                ProxyTrainerTest.SMALL.head());
        assertThatThrownBy(() -> FinalTrainer.of(ProxyTrainerTest.DATA).train(mnistArch,
                Fidelity.proxy(1, 100, 100, 1), Augmentation.none(), e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1×28×28");
    }

    @Test
    void withoutCropOrFlipABatchIsTheStandardisedImages() {
        int[] idx = {3, 0, 17, 63};
        INDArray[] plain = Augmentation.none().batch(IMAGES, NORM, idx, new SplittableRandom(1));
        INDArray[] reference = Tensors.of(IMAGES, NORM).batch(idx);
        assertThat(plain[0]).isEqualTo(reference[0]);
        assertThat(plain[1]).isEqualTo(reference[1]);
    }

    @Test
    void everyAugmentedImageIsAShiftedAndPossiblyMirroredCopyWithBlackBorders() {
        Augmentation aug = Augmentation.cropAndFlip(SyntheticImages.SHAPE, true);
        assertThat(aug.padding()).isEqualTo(2);
        int[] idx = new int[64];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        INDArray x = aug.batch(IMAGES, NORM, idx, new SplittableRandom(2))[0];
        int mirrored = 0;
        int shifted = 0;
        for (int i : idx) {
            float[] got = x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup().data().asFloat();
            int[] match = findTransform(i, got, aug.padding());
            assertThat(match).as("example %d is no crop/flip of its source", i).isNotNull();
            if (match[2] == 1) mirrored++;
            if (match[0] != 0 || match[1] != 0) shifted++;
        }
        assertThat(mirrored).isBetween(16, 48);
        assertThat(shifted).isGreaterThan(40);
    }

    /** The (dy, dx, mirror) that turns example {@code i} into {@code got}, or null. */
    private static int[] findTransform(int i, float[] got, int pad) {
        int h = 16;
        int w = 16;
        float border = -NORM[0][0] / NORM[1][0];
        for (int m = 0; m <= 1; m++) {
            for (int dy = -pad; dy <= pad; dy++) {
                for (int dx = -pad; dx <= pad; dx++) {
                    boolean same = true;
                    for (int r = 0; r < h && same; r++) {
                        for (int c = 0; c < w && same; c++) {
                            int sr = r + dy;
                            int sc = (m == 1 ? w - 1 - c : c) + dx;
                            float want = sr < 0 || sr >= h || sc < 0 || sc >= w ? border
                                    : ((PIXELS[i * h * w + sr * w + sc] & 0xff) / 255f - NORM[0][0]) / NORM[1][0];
                            same = Math.abs(want - got[r * w + c]) < 1e-5;
                        }
                    }
                    if (same) return new int[]{dy, dx, m};
                }
            }
        }
        return null;
    }
}
