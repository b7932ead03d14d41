package org.anynas.cli.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Graphviz's {@code dot}, when installed, turns an op graph's DOT text into SVG. */
public record Graphviz(Path dot) {

    /** {@code dot} on the PATH, if any. */
    public static Optional<Graphviz> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, "dot");
            if (Files.isExecutable(p)) return Optional.of(new Graphviz(p));
        }
        return Optional.empty();
    }

    /** Renders {@code dotFile} to {@code svgFile}; false (and no SVG) if dot fails or takes over 60 s. */
    boolean render(Path dotFile, Path svgFile) {
        try {
            Process p = new ProcessBuilder(dot.toString(), "-Tsvg", dotFile.toString(), "-o", svgFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && Files.size(svgFile) > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
