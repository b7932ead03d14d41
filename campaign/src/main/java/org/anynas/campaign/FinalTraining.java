package org.anynas.campaign;

import org.anynas.space.UserInputException;

/**
 * A campaign's {@code final_training:} keys: how {@code ./nas train} fully trains its candidates (and, from
 * campaign-defaults.yaml, any architecture file). The command line's options of the same names override them.
 * The optimizer, learning rate, batch and weight decay are the campaign's fidelity's.
 *
 * @param epochs          epochs of full training
 * @param augment         random crop of the image padded by 1/8 of its side
 * @param flip            with augment: also a horizontal flip with p = 1/2 (false for digits)
 * @param erasing         probability of random erasing per image (0 = off)
 * @param labelSmoothing  ε of label smoothing (0 = off)
 * @param warmupEpochs    linear learning-rate warm-up epochs before the cosine decay
 * @param ema             decay of the exponential moving average of the weights (0 = off)
 * @param seeds           seeds trained (each its own model; test accuracy reported as mean ± sd)
 */
public record FinalTraining(int epochs, boolean augment, boolean flip, double erasing, double labelSmoothing, int warmupEpochs,
                            double ema, int seeds) {

    public FinalTraining {
        if (epochs < 1) throw new UserInputException("final_training.epochs must be >= 1, got " + epochs);
        if (!(erasing >= 0 && erasing <= 1)) throw new UserInputException("final_training.erasing must be in 0..1, got " + erasing);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new UserInputException("final_training.label_smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new UserInputException("final_training.warmup_epochs must be 0.." + (epochs - 1) + " (below final_training.epochs), got "
                    + warmupEpochs);
        }
        if (!(ema >= 0 && ema < 1)) throw new UserInputException("final_training.ema must be in [0, 1) (0 = off), got " + ema);
        if (seeds < 1) throw new UserInputException("final_training.seeds must be >= 1, got " + seeds);
    }

    /** campaign-defaults.yaml's, for ./nas train --arch (no campaign). */
    public static FinalTraining defaults() {
        return CampaignConfig.parse("name: defaults", "campaign-defaults.yaml").finalTraining();
    }
}
