package org.anynas.search;

import java.util.Locale;

/** How candidates are proposed. */
public enum Strategy {
    /** regularized (aging) evolution, Real et al. 2019 */
    EVOLUTION,
    /** multi-objective NSGA-II (Deb et al. 2002) over validation accuracy and a cost */
    NSGA2,
    /** uniform sampling: the baseline every NAS claim must beat */
    RANDOM;

    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
