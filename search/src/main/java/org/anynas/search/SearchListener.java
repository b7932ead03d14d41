package org.anynas.search;

/** Progress callbacks for the CLI; all default to doing nothing. */
public interface SearchListener {
    default void started(int maxEvaluations) {
    }

    default void visited(Visit visit, int done, int maxEvaluations) {
    }

    default void generation(GenerationStats stats) {
    }

    SearchListener NONE = new SearchListener() {
    };
}
