package org.anynas.dl4j;

import org.anynas.space.FileTree;
import org.anynas.trainer.EvaluationResult;

import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.GraphTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * An export directory, whatever wrote its model: {@code architecture.json}, {@code summary.txt} and the
 * backend's model files are written to a temporary sibling directory first and moved into place, so a failure
 * leaves nothing half-written. Free of DL4J, so that a PyTorch-only installation can export.
 */
public final class ExportFolder {
    private ExportFolder() {
    }

    /** Writes a backend's model files into the export's temporary folder. */
    @FunctionalInterface
    public interface ModelFiles {
        void writeTo(Path folder) throws IOException;
    }

    /** Writes {@code architecture.json}, {@code summary.txt} and whatever {@code model} writes, atomically. */
    public static void write(Path dir, Architecture arch, String summary, boolean force, ModelFiles model) {
        Path target = checkTarget(dir, force);
        boolean exists = Files.exists(target);
        Path parent = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp");
        } catch (IOException e) {
            throw new ModelExport.ExportException("cannot write to " + parent + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            model.writeTo(tmp);
            Files.writeString(tmp.resolve("architecture.json"), ArchitectureJson.write(arch));
            Files.writeString(tmp.resolve("summary.txt"), summary);
            if (exists) FileTree.delete(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ModelExport.ExportException("cannot write export to " + target + ": " + e.getMessage());
        }
    }

    /** Fails early (before any training) when {@code dir} may not be written; returns its absolute path. */
    public static Path checkTarget(Path dir, boolean force) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new ModelExport.ExportException(target + " exists and is not a directory");
        }
        if (Files.exists(target) && !force && !isEmptyDir(target)) {
            throw new ModelExport.ExportException(target + " already exists and is not empty; use --force to overwrite it");
        }
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isWritable(existing)) {
            throw new ModelExport.ExportException("cannot write to " + target + ": " + (existing == null ? "no existing parent" : existing + " is not writable"));
        }
        return target;
    }

    /** Header lines (source, dataset, fidelity, scores, speed) followed by the layer table; {@code extra} goes after the scores. */
    public static String summary(Architecture arch, Fidelity fidelity, String dataset, EvaluationResult r, String provenance,
                                 String... extra) {
        StringBuilder sb = new StringBuilder();
        sb.append("AnyNAS export\n=============\n");
        sb.append("architecture: ").append(arch.oneLine()).append('\n');
        sb.append("hash:         ").append(ArchitectureJson.hash(arch)).append('\n');
        sb.append("source:       ").append(provenance).append('\n');
        sb.append("dataset:      ").append(dataset).append('\n');
        sb.append("fidelity:     ").append(fidelity.oneLine()).append('\n');
        sb.append(String.format(Locale.ROOT, "scores:       status %s, val_acc %.4f, val_loss %.4f%n",
                r.status().key(), r.valAccuracy(), r.valLoss()));
        for (String line : extra) sb.append(line).append('\n');
        sb.append(String.format(Locale.ROOT, "speed:        train %.0f img/s, inference %.2f ms/img at batch 1, %.0f img/s batched (%s)%n",
                r.trainImagesPerSec(), r.latencyMs(), r.inferencePerSec(), r.device()));
        sb.append("\n").append(GraphTable.render(arch.graph()));
        return sb.toString();
    }

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            FileTree.delete(p);
        } catch (IOException ignored) {
            // the temporary directory is hidden and named as such; nothing user-visible depends on it
        }
    }

}
