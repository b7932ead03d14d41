package org.anynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.campaign.FinalRun;
import org.anynas.trainer.EpochState;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.space.AtomicFile;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * {@code ./nas train --seeds K}: one export folder per seed, {@code seed-<n>/} under --out, and a summary of the test
 * accuracy over the seeds. A seed is finished when its folder holds {@code seed.json}, written last, to a temporary
 * file renamed into place, after the seed's export folder was complete (the export itself is written to a temporary
 * folder and moved): a seed stopped or killed half-way has no marker, and a re-run with the same --out goes on with it
 * from its last finished epoch ({@code seed-<n>.resume}, the training's {@link EpochState}, removed once the seed is
 * marked). The marker records what was trained (architecture, data sizes, recipe without the seeds, backend), so a
 * re-run with other settings is refused instead of mixing results.
 */
public final class SeedRuns {
    public static final String MARKER = "seed.json";

    private final Path dir;
    private final String identity;
    private final long first;
    private final int count;

    private SeedRuns(Path dir, String identity, long first, int count) {
        this.dir = dir;
        this.identity = identity;
        this.first = first;
        this.count = count;
    }

    /** Fails before training when --out cannot hold seed folders: a file, or a folder with other things in it. */
    static void checkTarget(Path out, boolean force) {
        checkTarget(out, force, "seed-\\d+(\\.resume(\\.tmp)?)?|summary\\.txt", "a --seeds run");
    }

    /** As {@link #checkTarget(Path, boolean)} for {@code what}, a run whose own files' names match {@code ours}. */
    static void checkTarget(Path out, boolean force, String ours, String what) {
        Path target = org.anynas.dl4j.ExportFolder.checkTarget(out, true);
        if (force || !Files.isDirectory(target)) return;
        try (Stream<Path> s = Files.list(target)) {
            List<String> other = s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.matches(ours) && !n.startsWith("."))
                    .sorted().toList();
            if (!other.isEmpty()) {
                throw new UserError(target + " holds " + other.get(0) + (other.size() > 1 ? " and more" : "")
                        + ", not " + what + ": choose another --out (or --force to overwrite it)");
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + target + ": " + e.getMessage());
        }
    }

    /**
     * The seed folders of {@code out} for seeds {@code first} … {@code first + count − 1}; with {@code force} every seed
     * is trained again. Refuses (before any training) markers of a different training.
     */
    static SeedRuns of(Path out, long first, int count, boolean force, Architecture arch, String dataset, Fidelity fidelity,
                       TrainingRecipe.Final fin, String backend) {
        SeedRuns runs = new SeedRuns(out.toAbsolutePath().normalize(), identity(arch, dataset, fidelity, fin, backend), first, count);
        for (long s = first; s < first + count; s++) {
            if (!force) {
                // a finished seed's state left by a kill between its marker and the state's removal has served
                if (runs.finished(s).isPresent()) deleteQuietly(runs.stateFile(s));
                continue;
            }
            // --force: every seed is trained again, from its first epoch, so none may count as finished or half-trained
            for (Path stale : List.of(runs.folder(s).resolve(MARKER), runs.stateFile(s))) {
                try {
                    Files.deleteIfExists(stale);
                } catch (IOException e) {
                    throw new UserError("cannot remove " + stale + ": " + e.getMessage());
                }
            }
        }
        return runs;
    }

    /**
     * What makes two trainings comparable: architecture, dataset, epochs, data sizes, recipe without the seeds, backend
     * (JSON). Seed folders and the results database's final trainings are keyed by it.
     */
    static String identity(Architecture arch, String dataset, Fidelity fidelity, TrainingRecipe.Final fin, String backend) {
        ObjectNode id = Json.json().createObjectNode();
        id.put("architecture", ArchitectureJson.hash(arch)).put("dataset", dataset).put("epochs", fidelity.epochs())
                .put("train_size", fidelity.trainSize()).put("val_size", fidelity.valSize()).put("batch_size", fidelity.batchSize())
                .put("backend", backend);
        ObjectNode recipe = TrainingRecipe.finalTraining(fidelity, fin).toJson();
        recipe.remove("seeds");
        id.set("recipe", recipe);
        return id.toString();
    }

    String identity() {
        return identity;
    }

    /** A seed finished by an earlier run of the same training, as its run, else empty. */
    Optional<FinalRun> finishedRun(long seed) {
        if (finished(seed).isEmpty()) return Optional.empty();
        return Optional.of(run(marker(seed)));
    }

    Path folder(long seed) {
        return dir.resolve("seed-" + seed);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // harmless: a finished seed's state is never read, and the next run tries again
        }
    }

    private Path stateFile(long seed) {
        return dir.resolve("seed-" + seed + ".resume");
    }

    /** Where the seed's training keeps its state after each epoch, under a key of this training and seed. */
    EpochState state(long seed) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
        return EpochState.of(stateFile(seed), identity + " seed " + seed);
    }

    /** The test accuracy of a seed finished by an earlier run of the same training, else empty. */
    OptionalDouble finished(long seed) {
        JsonNode m = marker(seed);
        if (m == null) return OptionalDouble.empty();
        if (!identity.equals(m.path("identity").asText())) {
            throw new UserError(folder(seed) + " was trained with other settings (architecture, data, recipe or backend) than "
                    + "this command's: use another --out, or --force to train every seed again");
        }
        return OptionalDouble.of(m.path("test_acc").asDouble(Double.NaN));
    }

    private JsonNode marker(long seed) {
        return read(folder(seed).resolve(MARKER));
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            return Json.json().readTree(file.toFile());
        } catch (IOException e) {
            return null; // unreadable: not finished, trained again
        }
    }

    /** The seed trained into {@code seedFolder} (a {@code seed-<n>} folder) as its marker records it, if it finished. */
    public static Optional<FinalRun> finished(Path seedFolder) {
        return Optional.ofNullable(read(seedFolder.resolve(MARKER))).map(SeedRuns::run);
    }

    private static FinalRun run(JsonNode m) {
        return new FinalRun(0, m.path("test_acc").asDouble(Double.NaN), m.path("val_acc").asDouble(Double.NaN),
                m.path("best_epoch").asInt(), m.path("train_seconds").asDouble(Double.NaN));
    }

    /** Marks a seed whose export folder is complete as finished. */
    void markFinished(long seed, FinalRun run) {
        ObjectNode m = Json.json().createObjectNode();
        m.put("seed", seed).put("test_acc", run.testAccuracy()).put("val_acc", run.valAccuracy())
                .put("best_epoch", run.bestEpoch()).put("train_seconds", run.seconds()).put("identity", identity);
        AtomicFile.write(folder(seed).resolve(MARKER), m.toPrettyString() + "\n");
        deleteQuietly(stateFile(seed)); // the seed's results are kept: its epochs' state has served (else the next run removes it)
    }

    /** [seed, test accuracy, validation accuracy, best epoch] of the finished seeds of this run, in seed order. */
    private List<double[]> results() {
        List<double[]> out = new ArrayList<>();
        for (long s = first; s < first + count; s++) {
            JsonNode m = marker(s);
            if (m != null && identity.equals(m.path("identity").asText())) {
                out.add(new double[]{s, m.path("test_acc").asDouble(Double.NaN), m.path("val_acc").asDouble(Double.NaN),
                        m.path("best_epoch").asInt()});
            }
        }
        return out;
    }

    /** Mean and sample standard deviation (n − 1; NaN for one value). */
    public static double[] meanSd(double[] xs) {
        double mean = 0;
        for (double x : xs) mean += x / xs.length;
        if (xs.length < 2) return new double[]{mean, Double.NaN};
        double ss = 0;
        for (double x : xs) ss += (x - mean) * (x - mean);
        return new double[]{mean, Math.sqrt(ss / (xs.length - 1))};
    }

    private List<String> lines() {
        List<double[]> r = results();
        List<String> out = new ArrayList<>();
        double[] test = r.stream().mapToDouble(x -> x[1]).toArray();
        double[] ms = meanSd(test);
        out.add(String.format(Locale.ROOT, "test_acc over %d of %d seed%s: %.4f%s%s", r.size(), count, count == 1 ? "" : "s",
                ms[0], r.size() < 2 ? "" : String.format(Locale.ROOT, " ± %.4f (mean ± sample sd)", ms[1]),
                r.size() < count ? "; the others are not finished" : ""));
        for (double[] x : r) {
            out.add(String.format(Locale.ROOT, "  seed %d: test_acc %.4f, val_acc %.4f (best epoch %d)", (long) x[0], x[1], x[2],
                    (int) x[3]));
        }
        return out;
    }

    void report(PrintStream o) {
        if (results().isEmpty()) return;
        lines().forEach(o::println);
    }

    /** {@code summary.txt} of --out: the settings, mean ± sd and each seed's numbers, written atomically. */
    void writeSummary(Architecture arch, String provenance) {
        StringBuilder sb = new StringBuilder("AnyNAS training over seeds\n==========================\n");
        sb.append("architecture: ").append(arch.oneLine()).append('\n');
        sb.append("hash:         ").append(ArchitectureJson.hash(arch)).append('\n');
        sb.append("source:       ").append(provenance).append('\n');
        sb.append("seeds:        ").append(first).append(" … ").append(first + count - 1)
                .append(" (each model and its summary in seed-<n>/; the test set measured once per seed, on the best-validation epoch)\n");
        sb.append("settings:     ").append(identity).append('\n');
        lines().forEach(l -> sb.append(l).append('\n'));
        AtomicFile.write(dir.resolve("summary.txt"), sb.toString());
    }
}
