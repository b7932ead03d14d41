package org.anynas.search;

import org.anynas.trainer.EvaluationResult;

import java.util.Locale;

/** The cost NSGA-II trades against validation accuracy; smaller is better. */
public enum Objective {
    PARAMS, MACS, LATENCY;

    public double cost(EvaluationResult r) {
        return switch (this) {
            case PARAMS -> r.params();
            case MACS -> r.macs();
            case LATENCY -> r.latencyMs();
        };
    }

    /** The matching column of the results view. */
    public String column() {
        return this == LATENCY ? "latency_ms" : key();
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
