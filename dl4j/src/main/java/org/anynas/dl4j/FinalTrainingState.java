package org.anynas.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.space.Json;
import org.anynas.trainer.EpochState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A DL4J final training's {@link EpochState} after a finished epoch, in one file: the network with its updater state
 * and step count (DL4J's model zip), and beside it in the zip the EMA, the best epoch's weights, the noise generator's
 * state, the finished epochs and the time spent. Written to a temporary file and moved over the last one, so a kill
 * leaves the previous epoch's state.
 */
record FinalTrainingState(ComputationGraph net, INDArray shadow, INDArray best, int bestEpoch, double bestAcc,
                          double bestLoss, List<FinalTrainer.Epoch> epochs, long rootState, long nodeState,
                          double seconds, long stepNanos) {
    private static final Logger log = LoggerFactory.getLogger(FinalTrainingState.class);
    private static final String HEADER = "anynas-final-state.json";
    private static final String BEST = "anynas-best";
    private static final String EMA = "anynas-ema";

    /** Writes the state; one that cannot be written (a full disk) costs the resumability, not the training: a warning. */
    void save(EpochState to) {
        Path tmp = to.file().resolveSibling(to.file().getFileName() + ".tmp");
        ObjectNode h = Json.json().createObjectNode();
        h.put("key", to.key()).put("best_epoch", bestEpoch).put("best_acc", bestAcc).put("best_loss", bestLoss)
                .put("root_state", rootState).put("node_state", nodeState).put("seconds", seconds).put("step_nanos", stepNanos);
        ArrayNode list = h.putArray("epochs");
        for (FinalTrainer.Epoch e : epochs) {
            list.addObject().put("epoch", e.epoch()).put("epochs", e.epochs()).put("train_loss", e.trainLoss())
                    .put("val_acc", e.valAccuracy()).put("val_loss", e.valLoss()).put("seconds", e.seconds()).put("best", e.best());
        }
        try {
            Files.createDirectories(to.file().getParent());
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), HEADER, h.toString());
            ModelSerializer.addObjectToFile(tmp.toFile(), BEST, bytes(best));
            if (shadow != null) ModelSerializer.addObjectToFile(tmp.toFile(), EMA, bytes(shadow));
            Files.move(tmp, to.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot write the training state {}: {}", to.file(), e.toString());
        }
    }

    /**
     * The state saved for the same training ({@code from.key()}), else null: no file, another training's, or unreadable
     * (the training then starts from its first epoch and writes over it).
     */
    static FinalTrainingState load(EpochState from, boolean ema) {
        if (!Files.isRegularFile(from.file())) return null;
        try {
            JsonNode h = Json.json().readTree(ModelSerializer.<String>getObjectFromFile(from.file().toFile(), HEADER));
            if (!from.key().equals(h.path("key").asText())) {
                log.info("{} belongs to another training; starting from epoch 1", from.file());
                return null;
            }
            ComputationGraph net = ModelSerializer.restoreComputationGraph(from.file().toFile(), true);
            GraphTranslator.installTrainingKernels(net); // as a new network gets them: the same kernels as an unbroken run
            INDArray shadow = ema ? array(ModelSerializer.getObjectFromFile(from.file().toFile(), EMA)) : null;
            INDArray best = array(ModelSerializer.getObjectFromFile(from.file().toFile(), BEST));
            List<FinalTrainer.Epoch> epochs = new ArrayList<>();
            for (JsonNode e : h.path("epochs")) {
                epochs.add(new FinalTrainer.Epoch(e.path("epoch").asInt(), e.path("epochs").asInt(), e.path("train_loss").asDouble(),
                        e.path("val_acc").asDouble(), e.path("val_loss").asDouble(), e.path("seconds").asDouble(),
                        e.path("best").asBoolean(), true));
            }
            return new FinalTrainingState(net, shadow, best, h.path("best_epoch").asInt(), h.path("best_acc").asDouble(),
                    h.path("best_loss").asDouble(), epochs, h.path("root_state").asLong(), h.path("node_state").asLong(),
                    h.path("seconds").asDouble(), h.path("step_nanos").asLong());
        } catch (IOException | RuntimeException e) { // a torn or foreign file
            log.info("not continuing from {}: {}", from.file(), e.toString());
            return null;
        }
    }

    private static byte[] bytes(INDArray a) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            Nd4j.write(a, out);
        }
        return b.toByteArray();
    }

    private static INDArray array(byte[] bytes) {
        if (bytes == null) throw new IllegalStateException("an array is missing");
        return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }
}
