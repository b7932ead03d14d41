package org.anynas.bench;

import org.anynas.space.Json;

import java.nio.file.Path;

/**
 * Which data a benchmark's campaigns search: Fashion-MNIST (from {@code dataDir}, else the standard places), or the
 * user's own images (a folder or CSV), as campaign YAML lines. The one place the benchmarks say it.
 */
public record BenchData(Path dataDir, Path images) {

    public static final BenchData FASHION = new BenchData(null, null);

    /** The campaign keys that choose this data ({@code data_dir}, {@code dataset}), one per line. */
    public String yaml() {
        return (dataDir == null ? "" : "data_dir: " + quoted(dataDir) + "\n")
                + (images == null ? "" : "dataset: " + quoted(images.toAbsolutePath().normalize()) + "\n");
    }

    private static String quoted(Path p) {
        try {
            return Json.json().writeValueAsString(p.toString()); // a JSON string is a YAML string, whatever the path holds
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
