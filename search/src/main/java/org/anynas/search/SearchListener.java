package org.anynas.search;

/** Progress callbacks for the CLI; all default to doing nothing. */
public interface SearchListener {
    /** Which backend trains the candidates, on what, and why (one or more lines). */
    default void backend(String description) {
    }

    /** The campaign's fidelity ladder (called before the first visit). */
    default void ladder(Ladder ladder) {
    }

    /** Where a folder's first decoding reports its progress (once per folder and settings; later runs reuse it). */
    default org.anynas.data.folder.Progress decoding() {
        return org.anynas.data.folder.Progress.NONE;
    }

    /** The dataset as loaded: its parts, classes and images per class, and how a folder was read (lines). */
    default void dataset(String description) {
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
