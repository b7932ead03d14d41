package org.anynas.search;

/** Progress callbacks for the CLI; all default to doing nothing. */
public interface SearchListener {
    /** Which backend trains the candidates, on what, and why (one or more lines). */
    default void backend(String description) {
    }

    /** The campaign's fidelity ladder (called before the first visit). */
    default void ladder(Ladder ladder) {
    }

    default void started(int maxEvaluations) {
    }

    /** Why the first proposed network was turned down before training (invalid, or which budget); said once. */
    default void rejection(String reason) {
    }

    default void visited(Visit visit, int done, int maxEvaluations) {
    }

    default void generation(GenerationStats stats) {
    }

    SearchListener NONE = new SearchListener() {
    };
}
