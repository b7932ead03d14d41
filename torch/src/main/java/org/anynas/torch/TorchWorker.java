package org.anynas.torch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One running {@code anynas_torch.worker} process and its line protocol (documented in worker.py): requests
 * go to its stdin as JSON lines, each carrying the candidate's op graph ({@link org.anynas.space.OpGraphJson}),
 * which the worker interprets into its network; replies and events come back on stdout, its stderr is appended
 * to a log file. A worker that exits or stops answering is reported as {@link WorkerDied} / {@link WorkerHung};
 * the caller decides what that means for the candidate and starts a new worker.
 */
public final class TorchWorker implements AutoCloseable {
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final Object EOF = new Object();

    private final Process process;
    private final BlockingQueue<Object> lines;
    private final OutputStream stdin;
    /** The line protocol's version (worker.py's PROTOCOL): 3 sends the training recipe with every request. */
    static final int PROTOCOL = 3;
    private JsonNode hello;
    private long nextId = 1;

    /** The worker stopped (crashed, was killed) before answering. */
    public static final class WorkerDied extends Exception {
        WorkerDied(String message) {
            super(message);
        }
    }

    /** The worker did not answer within its deadline; it has been killed. */
    public static final class WorkerHung extends Exception {
        WorkerHung(String message) {
            super(message);
        }
    }

    /** What starts a worker: interpreter, unpacked sources, split folder, device and numerics. */
    public record Spec(String python, Path sources, Path data, String device, String gpuIndex, String visibleDevices,
                       TorchSettings settings, int threads, Path log, Map<String, String> environment) {
        public List<String> command() {
            List<String> cmd = new ArrayList<>(List.of(python, "-u", "-m", "anynas_torch.worker", "--data", data.toString(),
                    "--device", device, "--gpu-index", gpuIndex, "--precision", settings.precision()));
            if (settings.channelsLast(device.equals("cuda"))) cmd.add("--channels-last");
            if (threads > 0) cmd.addAll(List.of("--threads", String.valueOf(threads)));
            return cmd;
        }
    }

    private TorchWorker(Process process, BlockingQueue<Object> lines) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.lines = lines;
    }

    /** Starts a worker and waits for its "ready" line (loading the data onto the device takes seconds). */
    public static TorchWorker start(Spec spec, long startTimeoutSeconds) throws WorkerDied, WorkerHung {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        pb.environment().put("PYTHONPATH", spec.sources().toString());
        pb.environment().put("PYTHONUNBUFFERED", "1");
        // small CPU runs beside other processes: without this libgomp spin-waits and collapses (bench/torch_reference.py)
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        if (spec.visibleDevices() != null) pb.environment().put("CUDA_VISIBLE_DEVICES", spec.visibleDevices());
        pb.environment().putAll(spec.environment());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new WorkerDied("cannot start " + spec.python() + ": " + e.getMessage());
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) queue.add(line);
            } catch (IOException ignored) {
                // the process went away; EOF below says so
            }
            queue.add(EOF);
        }, "anynas-torch-reader");
        reader.setDaemon(true);
        reader.start();
        TorchWorker w = new TorchWorker(p, queue);
        try {
            w.hello = w.await(TimeUnit.SECONDS.toNanos(startTimeoutSeconds), () -> false, null, -1);
        } catch (WorkerDied e) {
            throw new WorkerDied(e.getMessage() + " while starting (its messages are in " + spec.log() + ")");
        }
        if (!"ready".equals(w.hello.path("event").asText())) {
            w.close();
            throw new WorkerDied("worker said " + w.hello + " instead of ready");
        }
        if (w.hello.path("protocol").asInt() != PROTOCOL) { // e.g. a request without the recipe it needs
            w.close();
            throw new WorkerDied("the worker speaks protocol " + w.hello.path("protocol") + ", the engine " + PROTOCOL);
        }
        return w;
    }

    public String device() {
        return hello.path("device").asText();
    }

    public String torchVersion() {
        return hello.path("torch").asText();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Sends one request and returns its reply; {@code events} receives progress lines of this request.
     * When {@code stop} turns true an interrupt is sent once (the reply then says "interrupted").
     */
    public JsonNode request(ObjectNode request, long timeoutNanos, BooleanSupplier stop, Consumer<JsonNode> events)
            throws WorkerDied, WorkerHung {
        long id = nextId++;
        request.put("id", id);
        send(request);
        return await(timeoutNanos, stop, events, id);
    }

    private JsonNode await(long timeoutNanos, BooleanSupplier stop, Consumer<JsonNode> events,
                           long id) throws WorkerDied, WorkerHung {
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        while (true) {
            Object line;
            try {
                line = lines.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new WorkerDied("interrupted while waiting for the worker");
            }
            if (line == EOF) throw new WorkerDied("the worker exited" + exitCode());
            if (line == null) {
                if (!interrupted && stop.getAsBoolean()) {
                    interrupted = true;
                    try {
                        send(JSON.createObjectNode().put("op", "interrupt"));
                    } catch (WorkerDied ignored) {
                        // the EOF will tell
                    }
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new WorkerHung("no answer within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                }
                continue;
            }
            JsonNode msg;
            try {
                msg = JSON.readTree((String) line);
            } catch (IOException e) {
                close();
                throw new WorkerDied("the worker wrote a line that is not protocol JSON: " + abbreviate((String) line));
            }
            if (id >= 0 && msg.path("id").asLong(-1) != id && msg.has("id")) continue; // stale reply of a request given up on
            if (msg.has("event") && !"ready".equals(msg.get("event").asText())) {
                if (events != null) events.accept(msg);
                continue;
            }
            return msg;
        }
    }

    private void send(ObjectNode msg) throws WorkerDied {
        try {
            stdin.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new WorkerDied("cannot write to the worker: " + e.getMessage() + exitCode());
        }
    }

    private String exitCode() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) return " (exit code " + process.exitValue() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** Kills the process; closing its stdin alone would let a busy worker finish its candidate first. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
