package org.anynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Locale;

/**
 * How hard a candidate is trained: a score is only comparable with scores at the same fidelity, so the
 * fidelity is stored with every score and is part of the cache key.
 */
public record Fidelity(int epochs, int trainSize, int valSize, int batchSize, Optimizer optimizer,
                       double learningRate, Schedule schedule, double weightDecay, long seed) {

    public enum Optimizer {
        ADAM, SGD;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Schedule {
        CONSTANT, COSINE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Fidelity {
        Fields.range("fidelity.epochs", epochs, 1, 10_000);
        Fields.range("fidelity.train_size", trainSize, 1, 10_000_000);
        Fields.range("fidelity.val_size", valSize, 1, 10_000_000);
        Fields.range("fidelity.batch_size", batchSize, 1, 65_536);
        Fields.present("fidelity.optimizer", optimizer);
        Fields.present("fidelity.schedule", schedule);
        Fields.range("fidelity.learning_rate", learningRate, 1e-7, 10);
        Fields.range("fidelity.weight_decay", weightDecay, 0, 1);
    }

    /** The quickstart proxy: a short Adam run on a subset, enough to rank small CNNs. */
    public static Fidelity proxy(int epochs, int trainSize, int valSize, long seed) {
        return new Fidelity(epochs, trainSize, valSize, 128, Optimizer.ADAM, 2e-3, Schedule.COSINE, 5e-5, seed);
    }

    /** Canonical compact JSON: the fidelity's identity in the results database. */
    public String key() {
        try {
            return Json.json().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String oneLine() {
        return String.format(Locale.ROOT, "%d ep × %d img (val %d), batch %d, %s lr %.4g %s, wd %.2g, seed %d",
                epochs, trainSize, valSize, batchSize, optimizer.key(), learningRate, schedule.key(), weightDecay, seed);
    }
}
