package org.anynas.spark;

import org.anynas.trainer.Trainer;
import org.anynas.data.Dataset;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor's side: one trainer per campaign and executor JVM, built on its first task and kept for the
 * next ones (loading the dataset and the DL4J natives once). The dataset is resolved here as on a single machine.
 */
final class ExecutorTrainers {
    /** A trainer and the checksum of the data it trains on. */
    record Loaded(Trainer trainer, String checksum) {
    }

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

    private ExecutorTrainers() {
    }

    static Loaded get(String configYaml, TrainerFactory factory, int slots) {
        return LOADED.computeIfAbsent(configYaml + "\n#" + factory, k -> {
            CampaignConfig config = CampaignConfig.parse(configYaml, "campaign sent by the driver");
            Dataset dataset = CampaignRunner.dataset(config);
            return new Loaded(factory.create(config, dataset, slots), DatasetChecksum.of(dataset));
        });
    }
}
