package org.anynas.campaign;

import org.anynas.data.Dataset;

import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;

/**
 * An {@link EvaluationPool} that lives in another module (the Spark executor), found with {@link ServiceLoader}
 * so that this module never depends on it: a campaign's {@code executor} names the provider.
 */
public interface PoolProvider {

    /** The campaign's {@code executor} value this provider serves (e.g. {@code spark}). */
    String executor();

    /** Opens the pool for a campaign; {@code stop} asks running evaluations to end (Ctrl-C). */
    Backends.Opened open(CampaignConfig config, Dataset dataset, BooleanSupplier stop, Path log);

    /** The provider for {@code executor}, or a one-line refusal naming what to launch instead. */
    static PoolProvider find(String executor) {
        for (PoolProvider p : ServiceLoader.load(PoolProvider.class)) {
            if (p.executor().equals(executor)) return p;
        }
        throw new org.anynas.space.UserInputException("executor: " + executor + " needs the anynas-" + executor
                + " jar launched by spark-submit (spark-submit --class org.anynas.spark.SparkMain anynas-spark.jar search "
                + "campaign.yaml), or set executor: local");
    }
}
