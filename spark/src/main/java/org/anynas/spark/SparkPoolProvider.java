package org.anynas.spark;

import org.anynas.data.Dataset;
import org.anynas.campaign.Backends;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.PoolProvider;
import org.anynas.space.UserInputException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * {@code executor: spark}: the campaign's pool on the Spark application this driver belongs to (its master from
 * {@code spark-submit --master} or {@code spark.master}). Found by {@link java.util.ServiceLoader}.
 */
public final class SparkPoolProvider implements PoolProvider {
    /** A {@link TrainerFactory} class for the executors instead of DL4J (the scaling benchmark's sleeping trainer). */
    static final String TRAINER_FACTORY = "spark.anynas.trainerFactory";
    /** How long the driver waits for the first executor to register. */
    static final String EXECUTOR_WAIT = "spark.anynas.executorWaitSeconds";

    @Override
    public String executor() {
        return "spark";
    }

    @Override
    public Backends.Opened open(CampaignConfig config, Dataset dataset, BooleanSupplier stop, Path log) {
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(context(config));
        TrainerFactory factory = factory(spark, config);
        int slots = waitForSlots(spark);
        SparkPool pool = SparkPool.of(spark, config.toYaml(), factory, DatasetChecksum.of(dataset), slots, stop);
        String line = String.format("executor spark: master %s, application %s, %d task slot%s now; %s on the executors, in_flight %d",
                spark.master(), spark.sc().applicationId(), slots, slots == 1 ? "" : "s", factory.identity(), config.inFlight());
        return new Backends.Opened(pool, line);
    }

    private static SparkContext context(CampaignConfig config) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            throw new UserInputException("executor: spark needs a Spark master: launch with spark-submit --master spark://HOST:7077 "
                    + "(or set spark.master), or set executor: local");
        }
        conf.setIfMissing("spark.app.name", "anynas " + config.name());
        // DL4J's thread count changes its scores: one OpenMP thread per task core unless the cluster says otherwise
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
        return SparkContext.getOrCreate(conf);
    }

    /**
     * The executors' trainer: {@code backend: torch} trains on PyTorch workers (on the tasks' GPUs where Spark assigns
     * them), {@code dl4j} with DL4J on the CPU, and {@code auto} decides as on one machine ({@link TorchTrainers#choose}).
     */
    private static TrainerFactory factory(JavaSparkContext spark, CampaignConfig config) {
        SparkConf conf = spark.getConf();
        if (!conf.contains(TRAINER_FACTORY)) {
            return switch (config.backendChoice()) {
                case TORCH, AUTO -> TorchTrainers.choose(spark, config);
                default -> Dl4jTrainers.of(); // dl4j-cuda is refused with the campaign
            };
        }
        String name = conf.get(TRAINER_FACTORY);
        try {
            return (TrainerFactory) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new UserInputException(TRAINER_FACTORY + " " + name + " is not a TrainerFactory with a no-argument constructor: " + e);
        }
    }

    /** Task slots of the registered executors, after waiting for the first one (a fresh application has none yet). */
    private static int waitForSlots(JavaSparkContext spark) {
        long wait = spark.getConf().getLong(EXECUTOR_WAIT, 120);
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        while (true) {
            int slots = spark.sc().maxNumConcurrentTasks(spark.sc().resourceProfileManager().defaultResourceProfile());
            if (slots > 0) return slots;
            if (System.nanoTime() > deadline) {
                throw new UserInputException("no Spark executor registered within " + wait + " s at " + spark.master()
                        + ": check that the workers run and have the cores and memory the application asks for");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserInputException("interrupted while waiting for Spark executors");
            }
        }
    }
}
