package org.anynas.bench;

import org.anynas.space.Architecture;
import org.anynas.space.OpGraphJson;
import org.anynas.space.UserInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch CPU as the peer: runs {@code bench/torch_reference.py}, which builds the same network from the same
 * op graph ({@link #graphFile}) with the torch worker's interpreter, in a fresh Python process per measurement. The bench installs nothing; when PyTorch is
 * missing it says how to get it.
 */
public final class TorchPeer {
    private final String python;
    private final Path script;
    private final String version;
    private final Path sources;

    private TorchPeer(String python, Path script, String version, Path sources) {
        this.python = python;
        this.script = script;
        this.version = version;
        this.sources = sources;
    }

    /** Checks that {@code python} imports torch; the reference script is unpacked from the jar into {@code workDir}. */
    public static TorchPeer of(String python, Path workDir) {
        String version = run(List.of(python, "-c", "import torch; print(torch.__version__)"), 120, python, null);
        if (version == null) {
            throw new UserInputException("PyTorch is not available to " + python + ": install it with "
                    + "'sudo apt-get install python3-torch' (Debian/Ubuntu), or pass --python PATH to an interpreter that has it");
        }
        // the reference imports the product's network builder: unpacked beside it, on PYTHONPATH
        Path sources = org.anynas.torch.WorkerSources.unpack(workDir);
        return new TorchPeer(python, unpack("/bench/torch_reference.py", workDir.resolve("torch_reference.py")),
                version.strip(), sources);
    }

    public String version() {
        return version;
    }

    /** Writes the architecture's op graph, the form the reference reads, to {@code target}. */
    public static Path graphFile(Architecture architecture, Path target) {
        try {
            Files.createDirectories(target.getParent());
            return Files.writeString(target, OpGraphJson.write(architecture.graph()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long params(Path graph) {
        return json(List.of("params", "--graph", graph.toString())).get("params").asLong();
    }

    /** Images per second for {@code steps} timed steps after {@code warmup}; fails if the parameter count differs. */
    public double imagesPerSecond(Path graph, Path dataDir, String mode, int batch, int steps, int warmup, int threads,
                                  long expectParams) {
        return json(List.of("time", "--graph", graph.toString(), "--data-dir", dataDir.toString(), "--mode", mode,
                "--batch", String.valueOf(batch), "--steps", String.valueOf(steps), "--warmup", String.valueOf(warmup),
                "--threads", String.valueOf(threads), "--seed", "1", "--expect-params", String.valueOf(expectParams)))
                .get("images_per_sec").asDouble();
    }

    static Path unpack(String resource, Path target) {
        try (InputStream in = TorchPeer.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource + " in the bench jar");
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode json(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(args);
        String out = run(cmd, 1800, python, sources);
        if (out == null) throw new IllegalStateException("the PyTorch reference failed: " + String.join(" ", cmd));
        try {
            return new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from the PyTorch reference: " + out);
        }
    }

    /** stdout of a successful run, or null; a parameter-count mismatch (exit 3) is an error naming it. */
    private static String run(List<String> cmd, int timeoutSeconds, String python, Path pythonPath) {
        try {
            Path err = Files.createTempFile("anynas-torch", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
                if (pythonPath != null) pb.environment().put("PYTHONPATH", pythonPath.toString());
                // the launcher shortens libgomp's spin for DL4J; the peer keeps PyTorch's own default
                if ("launcher".equals(System.getenv("ANYNAS_SPINCOUNT"))) pb.environment().remove("GOMP_SPINCOUNT");
                Process p = pb.start();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                String stderr = Files.readString(err);
                if (p.exitValue() == 3) throw new IllegalStateException("PyTorch reference: " + stderr.strip());
                if (p.exitValue() != 0) {
                    org.slf4j.LoggerFactory.getLogger(TorchPeer.class).warn("{} failed ({}): {}", cmd, p.exitValue(), stderr);
                    return null;
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return null; // no such interpreter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
