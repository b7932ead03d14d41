package org.anynas.dl4j;

import org.anynas.evaluator.CosineSchedule;

import org.anynas.trainer.Augmentation;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingRecipe;

import org.anynas.data.ImageSet;
import org.anynas.data.SyntheticImages;
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
                TrainingRecipe.Final.of(Augmentation.cropAndFlip(SyntheticImages.SHAPE, true)), seen::add);

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
                Fidelity.proxy(1, 100, 100, 1), TrainingRecipe.Final.none(), e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1×28×28");
    }

    @Test
    void withoutCropOrFlipABatchIsTheStandardisedImages() {
        int[] idx = {3, 0, 17, 63};
        INDArray[] plain = Tensors.augmented(Augmentation.none(), IMAGES, NORM, idx, new SplittableRandom(1));
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
        INDArray x = Tensors.augmented(aug, IMAGES, NORM, idx, new SplittableRandom(2))[0];
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

    /** The rule of Augmentation's class comment; test_recipe.py holds the PyTorch worker's erase to the same bounds. */
    @Test
    void randomErasingBlanksOneRectangleOfTorchvisionsSizesInAboutPOfTheImages() {
        int[] idx = new int[4000];
        for (int i = 0; i < idx.length; i++) idx[i] = i % IMAGES.size();
        INDArray[] plain = Tensors.augmented(Augmentation.none(), IMAGES, NORM, idx, new SplittableRandom(1));
        float[] x = Tensors.augmented(new Augmentation(0, false, 0.5), IMAGES, NORM, idx, new SplittableRandom(2))[0].data().asFloat();
        float[] ref = plain[0].data().asFloat();
        int per = 16 * 16;
        int erased = 0;
        double fractionSum = 0;
        for (int i = 0; i < idx.length; i++) {
            int zeros = 0;
            int top = 16, bottom = -1, left = 16, right = -1;
            for (int p = 0; p < per; p++) {
                if (x[i * per + p] == 0f && ref[i * per + p] != 0f) {
                    zeros++;
                    top = Math.min(top, p / 16);
                    bottom = Math.max(bottom, p / 16);
                    left = Math.min(left, p % 16);
                    right = Math.max(right, p % 16);
                } else {
                    assertThat(x[i * per + p]).isEqualTo(ref[i * per + p]);
                }
            }
            if (zeros == 0) continue;
            erased++;
            assertThat(zeros).as("image %d: the erased pixels are a rectangle", i).isEqualTo((bottom - top + 1) * (right - left + 1));
            fractionSum += zeros / (double) per;
        }
        assertThat(erased / 4000.0).isBetween(0.47, 0.53);
        // U(0.02, 0.33) has mean 0.175; rectangles that do not fit are redrawn, which favours smaller ones
        assertThat(fractionSum / erased).isBetween(0.15, 0.19);
    }

    @Test
    void warmUpRisesLinearlyToThePeakWhereTheCosineStarts() {
        CosineSchedule s = new CosineSchedule(0.1, 50, 20);
        assertThat(s.valueAt(0, 0)).isEqualTo(0.1 / 20);
        assertThat(s.valueAt(19, 0)).isEqualTo(0.1);
        assertThat(s.valueAt(20, 0)).isEqualTo(0.1);
        assertThat(s.valueAt(35, 0)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.valueAt(50, 0)).isEqualTo(0.0);
        assertThat(new CosineSchedule(0.1, 50, 0).valueAt(0, 0)).isEqualTo(0.1);
    }

    @Test
    void smoothedLabelsAreOneMinusEpsilonOnTheClassAndEpsilonOverKEverywhere() {
        INDArray y = org.nd4j.linalg.factory.Nd4j.create(new float[][]{{0, 1, 0, 0}, {1, 0, 0, 0}});
        assertThat(Dl4jRecipe.smooth(y.dup(), 0.2).toFloatMatrix()).isEqualTo(new float[][]{{0.05f, 0.85f, 0.05f, 0.05f},
                {0.85f, 0.05f, 0.05f, 0.05f}});
        assertThat(Dl4jRecipe.smooth(y.dup(), 0)).isEqualTo(y);
    }

    /** With an EMA the average is what is validated, kept and returned; it is not the trained weights. */
    @Test
    void withAnEmaTheAverageIsValidatedKeptAndReturned() {
        Fidelity f = new Fidelity(2, 600, 300, 32, Fidelity.Optimizer.ADAM, 0.01, Fidelity.Schedule.COSINE, 0, 5);
        Tensors val = Tensors.of(ProxyTrainerTest.DATA.validation().first(300), Tensors.meanStd(ProxyTrainerTest.DATA.train().first(600)));
        FinalTrainer.Outcome plain = FinalTrainer.of(ProxyTrainerTest.DATA).train(ProxyTrainerTest.SMALL, f,
                TrainingRecipe.Final.none(), e -> { });
        FinalTrainer.Outcome ema = FinalTrainer.of(ProxyTrainerTest.DATA).train(ProxyTrainerTest.SMALL, f,
                new TrainingRecipe.Final(Augmentation.none(), 0, 0, new TrainingRecipe.Ema(0.9)), e -> { });
        try {
            assertThat(ema.status()).isEqualTo(Status.OK);
            assertThat(ProxyTrainer.validate(ema.network(), val)[0]).isEqualTo(ema.result().valAccuracy());
            assertThat(ema.network().params()).isNotEqualTo(plain.network().params());
            // the same training steps: only what is kept differs, so the train losses agree
            assertThat(ema.result().trainLoss()).isEqualTo(plain.result().trainLoss());
        } finally {
            plain.network().clear();
            ema.network().clear();
        }
    }

    /**
     * Stopped in its second epoch and run again with the same epoch state, a training goes on after its first epoch and
     * ends as one uninterrupted run, to the bit: augmentation and erasing draws, dropout noise, the EMA, the schedule.
     */
    @Test
    void aTrainingStoppedAndContinuedFromItsEpochStateEqualsOneUninterruptedRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var arch = org.anynas.space.Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, org.anynas.space.Activation.RELU,
                org.anynas.space.Stem.of(8, 3, 1), List.of(org.anynas.space.Stage.of(org.anynas.space.BlockType.RESIDUAL, 1, 16)
                        .withDownsample(org.anynas.space.Downsample.MAX_POOL)), org.anynas.space.Head.of(0.3, 32));
        Fidelity f = new Fidelity(3, 600, 300, 32, Fidelity.Optimizer.ADAM, 0.005, Fidelity.Schedule.COSINE, 0, 5);
        TrainingRecipe.Final fin = new TrainingRecipe.Final(Augmentation.cropAndFlip(SyntheticImages.SHAPE, true).withErasing(0.5),
                0.1, 0, new TrainingRecipe.Ema(0.9));
        var state = org.anynas.trainer.EpochState.of(dir.resolve("seed-5.resume"), "training 5");
        FinalTrainer.Outcome whole = FinalTrainer.of(ProxyTrainerTest.DATA).train(arch, f, fin, e -> { });
        int[] steps = {0};
        int perEpoch = (600 + 31) / 32;
        FinalTrainer.Outcome first = FinalTrainer.of(ProxyTrainerTest.DATA).withState(state)
                .withStop(() -> ++steps[0] > perEpoch + 3).train(arch, f, fin, e -> { });
        List<FinalTrainer.Epoch> seen = new ArrayList<>();
        FinalTrainer.Outcome rest = FinalTrainer.of(ProxyTrainerTest.DATA).withState(state).train(arch, f, fin, seen::add);
        FinalTrainer.Outcome other = FinalTrainer.of(ProxyTrainerTest.DATA)
                .withState(org.anynas.trainer.EpochState.of(state.file(), "another training")).train(arch, f, fin, e -> { });
        try {
            assertThat(first.status()).isEqualTo(Status.INTERRUPTED);
            assertThat(first.epochs()).hasSize(1);
            assertThat(seen.stream().map(FinalTrainer.Epoch::resumed).toList()).containsExactly(true, false, false);
            assertThat(rest.status()).isEqualTo(Status.OK);
            assertThat(rest.result().trainLoss()).isEqualTo(whole.result().trainLoss());
            assertThat(rest.result().valAccuracyCurve()).isEqualTo(whole.result().valAccuracyCurve());
            assertThat(rest.bestEpoch()).isEqualTo(whole.bestEpoch());
            assertThat(rest.testAccuracy()).isEqualTo(whole.testAccuracy());
            assertThat(rest.network().params()).isEqualTo(whole.network().params());
            // a state of another training is not used: that run trains its three epochs itself
            assertThat(other.result().trainLoss()).isEqualTo(whole.result().trainLoss());
            assertThat(dir.resolve("seed-5.resume.tmp")).doesNotExist();
        } finally {
            whole.network().clear();
            first.network().clear();
            rest.network().clear();
            other.network().clear();
        }
    }
}
