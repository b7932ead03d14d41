package org.anynas.spark;

import org.anynas.dl4j.MemoryLimit;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.trainer.Trainer;
import org.anynas.data.Dataset;
import org.anynas.campaign.CampaignConfig;
import org.apache.spark.TaskContext;

import java.time.Duration;

/**
 * The DL4J CPU trainer of a local run, with the memory limit shared by this executor's task slots; a killed task
 * (its job cancelled by Ctrl-C on the driver) stops training like a local Ctrl-C.
 */
record Dl4jTrainers() implements TrainerFactory {

    static Dl4jTrainers of() {
        return new Dl4jTrainers();
    }

    @Override
    public Trainer create(CampaignConfig config, Dataset dataset, int slots) {
        return ProxyTrainer.of(dataset, Duration.ofSeconds((long) (config.candidateTimeLimitMinutes() * 60)))
                .withMemoryLimit(MemoryLimit.machine(slots)).withStop(Dl4jTrainers::taskKilled);
    }

    /** Spark marks a cancelled task on its own thread: training stops at the next step and frees the slot. */
    private static boolean taskKilled() {
        TaskContext task = TaskContext.get();
        return task != null && task.isInterrupted();
    }

    @Override
    public String identity() {
        return "dl4j " + ProxyTrainer.DL4J_VERSION + " cpu, evaluator " + Trainer.EVALUATOR_VERSION;
    }
}
