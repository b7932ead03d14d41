package org.anynas.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.trainer.Augmentation;
import org.anynas.trainer.EpochState;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingProgress;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.InvalidArchitectureException;
import org.anynas.space.Json;
import org.anynas.space.OpGraph;
import org.anynas.space.OpGraphJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One trial slot of the PyTorch backend: a persistent worker process (started on first use, restarted after
 * it dies) that trains one candidate at a time. A worker crash or hang is that candidate's result
 * ({@code failed} / {@code timeout}), never the campaign's end.
 */
public final class TorchTrainer implements Trainer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TorchTrainer.class);
    /** Beyond the training time limit: start-up on a busy GPU, validation and inference timing. */
    static final Duration GRACE = Duration.ofSeconds(120);
    private static final long START_TIMEOUT_S = 300;

    private final TorchWorker.Spec spec;
    private final String datasetKey;
    private final String identity;
    private final Duration timeLimit;
    private final Duration grace;
    private final BooleanSupplier stop;
    private TorchWorker worker;
    private int restarts;

    TorchTrainer(TorchWorker.Spec spec, String datasetKey, String identity, Duration timeLimit, Duration grace,
                 BooleanSupplier stop) {
        this.spec = spec;
        this.datasetKey = datasetKey;
        this.identity = identity;
        this.timeLimit = timeLimit;
        this.grace = grace;
        this.stop = stop;
    }

    @Override
    public String datasetKey() {
        return datasetKey;
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Workers started after the first one died or hung. */
    public synchronized int restarts() {
        return restarts;
    }

    @Override
    public synchronized EvaluationResult evaluate(Architecture architecture, Fidelity fidelity, org.anynas.trainer.TrainingLeg leg) {
        OpGraph graph;
        try {
            graph = architecture.graph();
        } catch (InvalidArchitectureException e) {
            return EvaluationResult.failed(Status.INVALID, e.getMessage(), List.of(), 0, 0, 0, "none");
        }
        ObjectNode request = request("proxy", graph, fidelity, TrainingRecipe.proxy(fidelity));
        request.put("time_limit_s", timeLimit.toSeconds());
        request.put("measure_inference", true);
        if (TrainingProgress.listening()) request.put("progress", true);
        request.put("from_epoch", leg.fromEpoch()).put("to_epoch", leg.toEpoch());
        if (leg.resume() != null) request.put("resume", leg.resume().toAbsolutePath().toString());
        if (leg.save() != null) request.put("checkpoint", leg.save().toAbsolutePath().toString());
        long started = System.nanoTime();
        try {
            JsonNode reply = worker().request(request, timeLimit.plus(grace).toNanos(), stop, TorchTrainer::progress);
            return result(reply, graph, fidelity);
        } catch (TorchWorker.WorkerDied e) {
            dropWorker();
            log.warn("PyTorch worker died during a candidate: {}", e.getMessage());
            return EvaluationResult.failed(Status.FAILED, "the PyTorch worker died: " + e.getMessage()
                    + " (a new one was started; its messages are in " + spec.log() + ")", List.of(),
                    seconds(started), graph.params(), graph.macs(), deviceLabel());
        } catch (TorchWorker.WorkerHung e) {
            dropWorker();
            return EvaluationResult.failed(Status.TIMEOUT, "the PyTorch worker hung: " + e.getMessage()
                    + " (killed; a new one was started)", List.of(), seconds(started), graph.params(), graph.macs(), deviceLabel());
        }
    }

    /** A worker's batch event, passed on from this slot's thread as the DL4J trainer's steps are. */
    private static void progress(JsonNode event) {
        if (!"step".equals(event.path("event").asText())) return;
        TrainingProgress.report(new TrainingProgress.Step(event.path("epoch").asInt(),
                event.path("epochs").asInt(), event.path("batch").asInt(), event.path("batches").asInt(),
                event.path("loss").asDouble(Double.NaN), event.path("img_s").asDouble(Double.NaN)));
    }

    /** What a final training reported: the best epoch's scores and the test set's, measured once. */
    public record FinalResult(EvaluationResult result, int bestEpoch, double testAccuracy, double testLoss, int epochsRun) {
    }

    /**
     * Final training in the worker: {@code fidelity.epochs()} epochs over the whole training part, validated
     * each epoch, the best epoch's weights kept and saved as a PyTorch state_dict to {@code save}, and by op-graph node
     * with PyTorch's probabilities for the first test images to {@code arrays} (an .npz, see
     * {@link org.anynas.dl4j.onnx.TorchWeights}). With {@code state} (null: none) the worker writes its state there after
     * each epoch and, when the file holds this training's state, goes on from it: the epochs an earlier run finished come
     * back first as events marked {@code "resumed": true}.
     */
    public synchronized FinalResult trainFinal(Architecture architecture, Fidelity fidelity, TrainingRecipe.Final fin,
                                               java.nio.file.Path save, java.nio.file.Path arrays, EpochState state,
                                               Consumer<JsonNode> epochs) {
        OpGraph graph = architecture.graph();
        ObjectNode request = request("final", graph, fidelity, TrainingRecipe.finalTraining(fidelity, fin));
        if (state != null) request.put("resume", state.file().toString()).put("resume_key", state.key());
        request.put("save", save.toAbsolutePath().toString())
                .put("save_arrays", arrays.toAbsolutePath().toString()).put("reference_images", Trainer.CHECK_IMAGES);
        long started = System.nanoTime();
        try {
            JsonNode reply = worker().request(request, Long.MAX_VALUE / 4, stop, epochs);
            EvaluationResult r = result(reply, graph, fidelity);
            return new FinalResult(r, reply.path("best_epoch").asInt(), reply.path("test_acc").asDouble(Double.NaN),
                    reply.path("test_loss").asDouble(Double.NaN), reply.path("epochs_run").asInt());
        } catch (TorchWorker.WorkerDied | TorchWorker.WorkerHung e) {
            dropWorker();
            return new FinalResult(EvaluationResult.failed(Status.FAILED, "the PyTorch worker died: " + e.getMessage(),
                    List.of(), seconds(started), graph.params(), graph.macs(), deviceLabel()), 0, Double.NaN, Double.NaN, 0);
        }
    }

    /**
     * The worker builds the network by interpreting the lowered graph, so no block logic lives in Python, and trains
     * it as the recipe says, so no training constant does either.
     */
    static ObjectNode request(String op, OpGraph graph, Fidelity fidelity, TrainingRecipe recipe) {
        ObjectNode request = TorchWorker.JSON.createObjectNode();
        request.put("op", op);
        // each node carries its parameter count: the worker refuses a network that differs from the space's
        request.set("graph", OpGraphJson.tree(graph));
        try {
            request.set("fidelity", TorchWorker.JSON.readTree(Json.json().writeValueAsString(fidelity)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        request.set("recipe", recipe.toJson());
        return request;
    }

    private static EvaluationResult result(JsonNode reply, OpGraph graph, Fidelity fidelity) {
        Status status = Status.of(reply.path("status").asText("failed"));
        String device = reply.path("device").asText("unknown");
        List<Double> loss = doubles(reply.path("train_loss"));
        if (status != Status.OK) {
            return EvaluationResult.failed(status, reply.path("message").asText(""), loss,
                    reply.path("train_seconds").asDouble(0), graph.params(), graph.macs(), device);
        }
        return new EvaluationResult(Status.OK, "", reply.path("val_acc").asDouble(), reply.path("val_loss").asDouble(), loss,
                doubles(reply.path("val_curve")), reply.path("train_seconds").asDouble(),
                reply.path("train_img_s").asDouble(), number(reply.path("latency_ms")), number(reply.path("infer_img_s")),
                graph.params(), graph.macs(), device, number(reply.path("val_bal_acc")));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }

    private TorchWorker worker() throws TorchWorker.WorkerDied, TorchWorker.WorkerHung {
        if (worker == null || !worker.alive()) {
            if (worker != null) restarts++;
            worker = TorchWorker.start(spec, START_TIMEOUT_S);
        }
        return worker;
    }

    private void dropWorker() {
        if (worker != null) worker.close();
        worker = null;
        restarts++;
    }

    private String deviceLabel() {
        return spec.device().equals("cuda") ? "cuda:" + spec.gpuIndex() + ", torch" : "cpu, torch";
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public synchronized void close() {
        if (worker != null) worker.close();
        worker = null;
    }
}
