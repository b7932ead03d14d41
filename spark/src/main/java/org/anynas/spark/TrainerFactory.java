package org.anynas.spark;

import org.anynas.trainer.Trainer;
import org.anynas.data.Dataset;
import org.anynas.campaign.CampaignConfig;

import java.io.Serializable;

/**
 * Builds the trainer an executor trains with, once per executor JVM and campaign. It travels with the tasks;
 * the default is the campaign's DL4J trainer, the one a local run uses ({@link Dl4jTrainers}).
 *
 * @see ExecutorTrainers
 */
public interface TrainerFactory extends Serializable {

    /** The trainer for {@code config} over {@code dataset}, with {@code slots} tasks sharing this executor. */
    Trainer create(CampaignConfig config, Dataset dataset, int slots);

    /** Who trains, as {@link Trainer#identity()} says it, known on the driver without building a trainer. */
    String identity();
}
