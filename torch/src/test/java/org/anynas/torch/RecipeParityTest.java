package org.anynas.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.trainer.Augmentation;
import org.anynas.dl4j.Dl4jRecipe;
import org.anynas.dl4j.GraphTranslator;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.trainer.TrainingRecipe.ParamKind;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.SyntheticImages;
import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both trainers train as the {@link TrainingRecipe} says. For each recipe, what DL4J is configured with (read back
 * from the built network: updater, learning rate per step, weight decay per parameter, batch norm) and what the
 * PyTorch worker would train with (its "describe" reply, read back from the built optimizer and modules) must each
 * equal what the recipe prescribes for the network's parameters; a trainer that keeps a constant of its own fails.
 */
class RecipeParityTest {
    static TorchProbe torch;
    static Dataset data;

    @BeforeAll
    static void probe() {
        torch = Torch.required();
        data = Datasets.load("synthetic", null, 500, 1);
    }

    /** Proxy recipes (no final ingredients), and final ones with warm-up, label smoothing and an EMA of the weights. */
    static Stream<Arguments> recipes() {
        TrainingRecipe.Final none = TrainingRecipe.Final.none();
        return Stream.of(
                Arguments.of(new Fidelity(3, 300, 100, 64, Fidelity.Optimizer.ADAM, 4e-3, Fidelity.Schedule.COSINE, 5e-5, 3), none),
                Arguments.of(new Fidelity(2, 250, 100, 32, Fidelity.Optimizer.SGD, 0.05, Fidelity.Schedule.CONSTANT, 1e-4, 11), none),
                Arguments.of(new Fidelity(1, 100, 100, 100, Fidelity.Optimizer.ADAM, 1e-3, Fidelity.Schedule.COSINE, 0, 5), none),
                Arguments.of(new Fidelity(3, 300, 100, 64, Fidelity.Optimizer.SGD, 0.05, Fidelity.Schedule.COSINE, 5e-4, 7),
                        new TrainingRecipe.Final(new Augmentation(2, true, 0.5), 0.1, 1, new TrainingRecipe.Ema(0.99))),
                Arguments.of(new Fidelity(4, 250, 100, 32, Fidelity.Optimizer.ADAM, 2e-3, Fidelity.Schedule.COSINE, 5e-5, 2),
                        new TrainingRecipe.Final(Augmentation.none(), 0.2, 3, new TrainingRecipe.Ema(0.999))));
    }

    /** Convolutions, batch norms, a hidden dense layer with bias, dropout and the classifier: every parameter kind. */
    static OpGraph graph() {
        return Architecture.of(SyntheticImages.SHAPE, SyntheticImages.CLASSES, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 1, 16)), Head.of(0.3, 16)).graph();
    }

    /**
     * What a trainer is set up to do, in the recipe's terms; parameters named "node.weight" / "node.bias", batch norm
     * as [eps, 1 − momentum] (DL4J's decay).
     */
    record Setup(Map<String, Double> optimizer, List<Double> learningRates, Map<String, Double> decay,
                 Map<String, List<Double>> batchNorm) {
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void dl4jAndTheTorchWorkerTrainAsTheRecipeSays(Fidelity f, TrainingRecipe.Final fin, @TempDir Path dir) throws Exception {
        TrainingRecipe recipe = TrainingRecipe.finalTraining(f, fin);
        OpGraph graph = graph();
        int steps = (f.trainSize() + f.batchSize() - 1) / f.batchSize();
        long total = recipe.schedule().totalSteps(steps);
        long warm = (long) recipe.schedule().warmupEpochs() * steps;
        List<Long> at = LongStream.of(0, 1, Math.max(0, warm - 1), warm, warm + 1, steps, total / 2, total - 1, total)
                .boxed().toList();

        Setup expected = expected(recipe, graph, steps, at);
        assertThat(expected.decay()).as("the net has parameters of every kind").isNotEmpty();
        assertThat(dl4j(recipe, graph, steps, at)).as("DL4J").isEqualTo(expected);
        Probes probes = probes(recipe);
        Setup fromTorch = torch(recipe, f, graph, at, dir, probes);
        assertThat(fromTorch).as("PyTorch worker").isEqualTo(expected);
        // label smoothing: the training loss of the same logits and labels, from the recipe's formula, DL4J's output
        // layer on smoothed labels and the worker's loss function (float32 sums in different orders: 1e-6 apart at most)
        double want = probes.smoothedLoss(recipe.labelSmoothing());
        assertThat(probes.dl4jLoss(graph, recipe, steps)).as("DL4J loss").isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(probes.torchLoss).as("PyTorch loss").isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6));
        // the EMA step: the recipe's float32 formula, DL4J's and the worker's, to the bit
        float[] ema = probes.ema(recipe.ema().decay());
        assertThat(probes.dl4jEma(recipe.ema().decay())).as("DL4J EMA step").containsExactly(ema);
        assertThat(probes.torchEma).as("PyTorch EMA step").containsExactly(ema);
        if (!recipe.equals(TrainingRecipe.proxy(f))) return; // the rest is about proxy networks
        // the networks the rest of the engine builds straight from a fidelity get the same updater
        IUpdater fromFidelity = ((BaseLayer) ((LayerVertex) GraphTranslator.floats().configuration(graph, f, steps)
                .getVertices().get(graph.nodes().get(0).name())).getLayerConf().getLayer()).getIUpdater();
        assertThat(fromFidelity).isEqualTo(Dl4jRecipe.updater(recipe, steps));
        // ... and the same regularization lists, layer by layer, as the network checked above
        var fidelityConf = GraphTranslator.floats().configuration(graph, f, steps);
        var recipeNet = Dl4jRecipe.network(graph, recipe, steps);
        try {
            for (var layer : recipeNet.getLayers()) {
                if (!(layer.conf().getLayer() instanceof BaseLayer r)) continue;
                BaseLayer b = (BaseLayer) ((LayerVertex) fidelityConf.getVertices().get(r.getLayerName()))
                        .getLayerConf().getLayer();
                assertThat(b.getRegularization()).as(r.getLayerName()).isEqualTo(r.getRegularization());
                assertThat(b.getRegularizationBias()).as(r.getLayerName()).isEqualTo(r.getRegularizationBias());
            }
        } finally {
            recipeNet.clear();
        }
    }

    /**
     * The decay's strength, measured: a DL4J step shrinks a weight by lr·wd·w once, as the recipe and the PyTorch
     * worker do. DL4J 1.0.0-M2.1 applied the network's WeightDecay twice (2·lr·wd, measured 1.9999×) until the
     * translator set it per layer (GraphTranslator.decayed).
     */
    @org.junit.jupiter.api.Test
    void dl4jDecaysAWeightByLrTimesTheCoefficientOncePerStep() {
        OpGraph graph = graph();
        var set = data.train().first(64);
        var batch = org.anynas.dl4j.Tensors.of(set, org.anynas.dl4j.Tensors.meanStd(set)).batch(java.util.stream.IntStream.range(0, 64).toArray());
        double lr = 0.1, wd = 0.01;
        org.nd4j.linalg.api.ndarray.INDArray[] after = new org.nd4j.linalg.api.ndarray.INDArray[2];
        org.nd4j.linalg.api.ndarray.INDArray before = null;
        for (int i = 0; i < 2; i++) {
            Fidelity f = new Fidelity(1, 64, 64, 64, Fidelity.Optimizer.SGD, lr, Fidelity.Schedule.CONSTANT, i * wd, 1);
            ComputationGraph net = Dl4jRecipe.network(graph, TrainingRecipe.proxy(f), 1);
            before = net.getParam("stem_conv_W").dup();
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(1);
            net.fit(new org.nd4j.linalg.dataset.DataSet(batch[0], batch[1]));
            after[i] = net.getParam("stem_conv_W").dup();
            net.clear();
        }
        // the same gradient step in both; the decayed one also lost lr·wd·w (w as the step started)
        double times = after[0].sub(after[1]).sumNumber().doubleValue() / before.mul(lr * wd).sumNumber().doubleValue();
        assertThat(times).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    /** The recipe's prescription for {@code graph}. */
    static Setup expected(TrainingRecipe recipe, OpGraph graph, int steps, List<Long> at) {
        Map<String, Double> decay = new TreeMap<>();
        Map<String, List<Double>> bn = new TreeMap<>();
        for (Node n : graph.nodes()) {
            kinds(n).forEach((param, kind) -> decay.put(param,
                    recipe.weightDecay().appliesTo().contains(kind) ? recipe.weightDecay().coefficient() : 0.0));
            if (n.op() instanceof Op.BatchNorm) {
                bn.put(n.name(), List.of(recipe.batchNorm().epsilon(), 1 - recipe.batchNorm().momentum()));
            }
        }
        return new Setup(optimizer(recipe.optimizer()), at.stream().map(s -> recipe.schedule().at(s, steps)).toList(),
                decay, bn);
    }

    static Map<String, Double> optimizer(TrainingRecipe.Optimizer o) {
        if (o instanceof TrainingRecipe.Adam a) {
            return Map.of("adam", 1.0, "beta1", a.beta1(), "beta2", a.beta2(), "epsilon", a.epsilon());
        }
        TrainingRecipe.Sgd s = (TrainingRecipe.Sgd) o;
        return Map.of("sgd", 1.0, "momentum", s.momentum(), "nesterov", s.nesterov() ? 1.0 : 0.0);
    }

    /** The trainable parameters of a node, by the recipe's kinds. */
    static Map<String, ParamKind> kinds(Node n) {
        Map<String, ParamKind> m = new TreeMap<>();
        Op op = n.op();
        if (op instanceof Op.Conv c) {
            m.put(n.name() + ".weight", ParamKind.CONV_WEIGHT);
            if (c.bias()) m.put(n.name() + ".bias", ParamKind.BIAS);
        } else if (op instanceof Op.Dense d) {
            m.put(n.name() + ".weight", ParamKind.DENSE_WEIGHT);
            if (d.bias()) m.put(n.name() + ".bias", ParamKind.BIAS);
        } else if (op instanceof Op.Classifier) {
            m.put(n.name() + ".weight", ParamKind.DENSE_WEIGHT);
            m.put(n.name() + ".bias", ParamKind.BIAS);
        } else if (op instanceof Op.BatchNorm) {
            m.put(n.name() + ".weight", ParamKind.BN_GAMMA);
            m.put(n.name() + ".bias", ParamKind.BN_BETA);
        }
        return m;
    }

    /** The DL4J trainers' network, read back. */
    static Setup dl4j(TrainingRecipe recipe, OpGraph graph, int steps, List<Long> at) {
        ComputationGraph net = Dl4jRecipe.network(graph, recipe, steps);
        try {
            Map<String, Double> decay = new TreeMap<>();
            Map<String, List<Double>> bn = new TreeMap<>();
            List<IUpdater> updaters = new ArrayList<>();
            for (var layer : net.getLayers()) {
                var conf = layer.conf().getLayer();
                String name = conf.getLayerName();
                if (conf instanceof BaseLayer base) updaters.add(base.getIUpdater());
                if (conf instanceof BatchNormalization b) bn.put(name, List.of(b.getEps(), b.getDecay()));
                for (String key : layer.paramTable().keySet()) {
                    String torchName = Map.of("W", "weight", "b", "bias", "gamma", "weight", "beta", "bias").get(key);
                    if (torchName == null) continue; // BN running statistics: not trained
                    List<Regularization> regs = conf.getRegularizationByParam(key);
                    // DL4J applies every entry: one WeightDecay at most, else the step decays by a multiple
                    List<Regularization> list = regs == null ? List.of() : regs;
                    assertThat(list).as(name + " " + key + ": one entry at most").hasSizeLessThan(2);
                    double coefficient = 0.0;
                    for (Regularization r : list) {
                        assertThat(r).as(name + " " + key).isInstanceOf(WeightDecay.class);
                        assertThat(((WeightDecay) r).isApplyLR()).as("decoupled: scaled by the step's rate").isTrue();
                        coefficient = ((WeightDecay) r).getCoeff().valueAt(0, 0);
                    }
                    decay.put(name + "." + torchName, coefficient);
                }
            }
            assertThat(new java.util.HashSet<>(updaters)).as("one updater for every layer").hasSize(1);
            IUpdater u = updaters.get(0);
            Map<String, Double> optimizer = u instanceof Adam a
                    ? Map.of("adam", 1.0, "beta1", a.getBeta1(), "beta2", a.getBeta2(), "epsilon", a.getEpsilon())
                    : Map.of("sgd", 1.0, "momentum", ((Nesterovs) u).getMomentum(), "nesterov", 1.0);
            return new Setup(optimizer, at.stream().map(s -> u.getLearningRate(s.intValue(), 0)).toList(), decay, bn);
        } finally {
            net.clear();
        }
    }

    /** Logits, labels and EMA values both trainers are given, and what the worker answered for them. */
    static final class Probes {
        final float[][] logits = new float[6][SyntheticImages.CLASSES];
        final int[] labels = new int[6];
        final float[] shadow = new float[50];
        final float[] values = new float[50];
        double torchLoss;
        float[] torchEma;

        Probes(long seed) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            for (int i = 0; i < logits.length; i++) {
                for (int k = 0; k < logits[i].length; k++) logits[i][k] = (float) (3 * r.nextGaussian());
                labels[i] = r.nextInt(SyntheticImages.CLASSES);
            }
            for (int i = 0; i < shadow.length; i++) {
                shadow[i] = (float) r.nextGaussian();
                values[i] = (float) r.nextGaussian();
            }
        }

        /** Cross-entropy against (1 − ε)·one-hot + ε/K, in double. */
        double smoothedLoss(double eps) {
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (float z : logits[i]) max = Math.max(max, z);
                double norm = 0;
                for (float z : logits[i]) norm += Math.exp(z - max);
                int k = logits[i].length;
                for (int c = 0; c < k; c++) {
                    double target = (c == labels[i] ? 1 - eps : 0) + eps / k;
                    sum -= target * (logits[i][c] - max - Math.log(norm));
                }
            }
            return sum / logits.length;
        }

        /** The mean loss DL4J's classifier layer computes for the logits against the smoothed labels the trainer feeds it. */
        double dl4jLoss(OpGraph graph, TrainingRecipe recipe, int steps) {
            ComputationGraph net = Dl4jRecipe.network(graph, recipe, steps);
            try {
                var out = (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) net.getOutputLayer(0).conf().getLayer();
                var oneHot = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, logits.length, logits[0].length);
                for (int i = 0; i < labels.length; i++) oneHot.putScalar(i, labels[i], 1f);
                return out.getLossFn().computeScore(Dl4jRecipe.smooth(oneHot, recipe.labelSmoothing()),
                        org.nd4j.linalg.factory.Nd4j.create(logits), out.getActivationFn(), null, true);
            } finally {
                net.clear();
            }
        }

        /** shadow·d + values·(1 − d), each product rounded to float. */
        float[] ema(double decay) {
            float[] out = new float[shadow.length];
            for (int i = 0; i < out.length; i++) out[i] = shadow[i] * (float) decay + values[i] * (float) (1 - decay);
            return out;
        }

        float[] dl4jEma(double decay) {
            var s = org.nd4j.linalg.factory.Nd4j.create(shadow.clone());
            Dl4jRecipe.emaUpdate(s, org.nd4j.linalg.factory.Nd4j.create(values.clone()), decay);
            return s.toFloatVector();
        }

        void put(ObjectNode request) {
            ObjectNode loss = request.putObject("loss_probe");
            var rows = loss.putArray("logits");
            for (float[] row : logits) {
                var a = rows.addArray();
                for (float z : row) a.add(z);
            }
            var l = loss.putArray("labels");
            for (int y : labels) l.add(y);
            ObjectNode ema = request.putObject("ema_probe");
            var s = ema.putArray("shadow");
            for (float v : shadow) s.add(v);
            var v = ema.putArray("values");
            for (float x : values) v.add(x);
        }

        void read(JsonNode reply) {
            torchLoss = reply.path("loss").asDouble(Double.NaN);
            JsonNode e = reply.path("ema");
            torchEma = new float[e.size()];
            for (int i = 0; i < torchEma.length; i++) torchEma[i] = (float) e.get(i).asDouble();
        }
    }

    static Probes probes(TrainingRecipe recipe) {
        return new Probes(recipe.seeds().init());
    }

    /** The PyTorch worker's setup for the proxy request the engine sends, as its "describe" reply states it. */
    static Setup torch(TrainingRecipe recipe, Fidelity f, OpGraph graph, List<Long> at, Path dir, Probes probes) throws Exception {
        Path cache = dir.resolve("cache");
        TorchSettings settings = new TorchSettings(torch.python(), "cpu", "all", 1, "fp32", "auto");
        var spec = new TorchWorker.Spec(torch.python(), WorkerSources.unpack(cache), SplitFiles.write(data, cache.resolve("splits")),
                "cpu", "-", null, settings, 1, Files.createFile(dir.resolve("worker.log")), Map.of());
        JsonNode r;
        try (TorchWorker w = TorchWorker.start(spec, 300)) {
            ObjectNode request = TorchTrainer.request("describe", graph, f, recipe);
            at.forEach(request.putArray("at_steps")::add);
            probes.put(request);
            r = w.request(request, 120_000_000_000L, () -> false, e -> { });
        }
        assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("ok");
        probes.read(r);
        assertThat(r.path("groups").asInt()).as("one parameter group").isEqualTo(1);
        JsonNode o = r.path("optimizer");
        Map<String, Double> optimizer = o.path("class").asText().equals("Adam")
                ? Map.of("adam", 1.0, "beta1", o.path("betas").get(0).asDouble(), "beta2", o.path("betas").get(1).asDouble(),
                "epsilon", o.path("eps").asDouble())
                : Map.of("sgd", 1.0, "momentum", o.path("momentum").asDouble(), "nesterov", o.path("nesterov").asBoolean() ? 1.0 : 0.0);
        List<Double> rates = new ArrayList<>();
        r.path("learning_rates").forEach(x -> rates.add(x.asDouble()));
        Map<String, Double> decay = new TreeMap<>();
        TreeSet<String> decayed = new TreeSet<>();
        r.path("decayed").forEach(x -> decayed.add(x.asText()));
        double wd = r.path("weight_decay").asDouble();
        // the worker decays its decayed list by the coefficient: zero decays nothing, as DL4J then has no regularization
        r.path("params").forEach(x -> decay.put(x.asText(), decayed.contains(x.asText()) ? wd : 0.0));
        Map<String, List<Double>> bn = new TreeMap<>();
        r.path("batch_norm").fields().forEachRemaining(e ->
                bn.put(e.getKey(), List.of(e.getValue().path("eps").asDouble(), 1 - e.getValue().path("momentum").asDouble())));
        return new Setup(optimizer, rates, decay, bn);
    }
}
