package org.anynas.spark;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.data.Dataset;
import org.anynas.campaign.CampaignConfig;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.OpGraph;
import org.anynas.space.Stage;

import java.util.List;

/**
 * For the scaling benchmark: a trainer that sleeps for a candidate's time instead of using the CPU (this machine
 * has two cores; a cluster has many), and scores the architecture with a fixed function so the search evolves.
 */
public record SleepingTrainers(long millis) implements TrainerFactory {

    /** Named by {@code spark.anynas.trainerFactory}: the sleep comes from {@code -Danynas.bench.sleepMs} on the driver. */
    public SleepingTrainers() {
        this(Long.getLong("anynas.bench.sleepMs", 10_000));
    }

    @Override
    public Trainer create(CampaignConfig config, Dataset dataset, int slots) {
        return new Trainer() {
            @Override
            public EvaluationResult evaluate(Architecture a, Fidelity fidelity, TrainingLeg leg) {
                long t0 = System.nanoTime();
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return EvaluationResult.failed(Status.INTERRUPTED, "cancelled", List.of(), 0, 0, 0, "sleep");
                }
                double s = 0.5;
                for (Stage st : a.stages()) s += 0.02 * st.depth() + (st.kernel() == 3 ? 0.02 : 0) + st.width() / 4000.0;
                s = Math.min(0.99, s);
                OpGraph g = a.graph();
                return new EvaluationResult(Status.OK, "", s, 1 - s, List.of(1.0), List.of(s), (System.nanoTime() - t0) / 1e9,
                        1e4, 0.1, 1e5, g.params(), g.macs(), "sleep");
            }

            @Override
            public String datasetKey() {
                return dataset.name();
            }

            @Override
            public String identity() {
                return SleepingTrainers.this.identity();
            }
        };
    }

    @Override
    public String identity() {
        return "sleep " + millis + " ms";
    }
}
