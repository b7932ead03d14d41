package org.anynas.db;

/**
 * One seed of a network's final training, recorded with its campaign: {@code recipe} is the training's identity (data
 * sizes, epochs, recipe without the seed, backend) as JSON; only rows of one recipe are comparable.
 */
public record FinalTrainingRow(String campaign, String archHash, String recipe, long seed, double testAcc, double valAcc,
                               int bestEpoch, double trainSeconds) {
}
