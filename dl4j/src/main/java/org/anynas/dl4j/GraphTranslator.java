package org.anynas.dl4j;

import org.anynas.evaluator.ChannelScaleVertex;
import org.anynas.evaluator.StandardiseVertex;
import org.anynas.evaluator.GroupedConvolution;

import org.anynas.trainer.TrainingRecipe;

import org.anynas.space.Activation;
import org.anynas.space.Fidelity;
import org.anynas.space.Node;
import org.anynas.space.Op;
import org.anynas.space.OpGraph;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates the space's op graph into a DL4J {@link ComputationGraph}, one method per op, node names kept.
 * Shapes were already checked by the space; DL4J's own shape inference must agree (tests hold it to that).
 */
public final class GraphTranslator {

    static {
        CpuBackend.activate();
    }

    /** Name of the standardisation vertex of {@link #deployable} networks. */
    public static final String STANDARDISE = "input_standardise";

    private final DataType dataType;
    private final CNN2DFormat format;

    private GraphTranslator(DataType dataType, CNN2DFormat format) {
        this.dataType = dataType;
        this.format = format;
    }

    public static GraphTranslator of(DataType dataType) {
        return new GraphTranslator(dataType, CNN2DFormat.NCHW);
    }

    public static GraphTranslator floats() {
        return new GraphTranslator(DataType.FLOAT, CNN2DFormat.NCHW);
    }

    /**
     * The same network over [N,H,W,C] activations (inputs too). Parameters are laid out identically, so a
     * network trained in one format takes the other's parameters unchanged.
     */
    public GraphTranslator channelsLast() {
        return new GraphTranslator(dataType, CNN2DFormat.NHWC);
    }

    /** An initialised network ready to train with the fidelity's optimizer and schedule. */
    public ComputationGraph build(OpGraph graph, Fidelity fidelity, int iterationsPerEpoch) {
        ComputationGraph net = new ComputationGraph(configuration(graph, fidelity, iterationsPerEpoch));
        net.init();
        installTrainingKernels(net);
        return net;
    }

    /** Our training kernels in front of DL4J's, none of them saved with the network: after init, before training. */
    static void installTrainingKernels(ComputationGraph net) {
        ChannelsFirstBatchNorm.install(net);
        StemConvolution.install(net);
        ReluActivationLayer.install(net);
    }

    public ComputationGraphConfiguration configuration(OpGraph graph, Fidelity fidelity, int iterationsPerEpoch) {
        // the proxy recipe's updater: one definition of the optimizer and schedule (Dl4jRecipe)
        TrainingRecipe recipe = TrainingRecipe.proxy(fidelity);
        return configuration(graph, Dl4jRecipe.updater(recipe, iterationsPerEpoch), recipe.seeds().init(),
                recipe.weightDecay().coefficient());
    }

    /** The network with an explicit updater (gradient checks use {@code NoOp}). */
    public ComputationGraphConfiguration configuration(OpGraph graph, IUpdater updater, long seed, double weightDecay) {
        return configuration(graph, updater, seed, weightDecay, null);
    }

    /**
     * The trained network for deployment: a {@link StandardiseVertex} named {@link #STANDARDISE} first, so it takes
     * images in [0, 1], and {@code trained}'s parameters (BN statistics included). Inference only: no updater.
     */
    public ComputationGraph deployable(OpGraph graph, Standardisation standardisation, ComputationGraph trained) {
        ComputationGraph net = new ComputationGraph(configuration(graph, new NoOp(), 0, 0, standardisation));
        net.init(trained.params().dup(), false);
        return net;
    }

    private ComputationGraphConfiguration configuration(OpGraph graph, IUpdater updater, long seed, double weightDecay,
                                                        Standardisation standardisation) {
        CpuBackend.activate();
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                // a convolution keeps its forward output for the backward pass; with NONE, DL4J's ConvolutionLayer
                // runs the whole convolution again in backprop (and two layout reorders) only to differentiate
                // its identity activation
                .cacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
        // Weight decay is set on each weight layer (see decayed), not here: DL4J 1.0.0-M2.1 copies the global
        // regularization into a layer and then LayerValidation appends the global WeightDecay once more, so every
        // layer held it twice and a step decayed by 2·lr·wd.
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder().addInputs(OpGraph.INPUT);
        Shape in = graph.input();
        g.setInputTypes(InputType.convolutional(in.height(), in.width(), in.channels(), format));
        String input = OpGraph.INPUT;
        if (standardisation != null) {
            if (format != CNN2DFormat.NCHW) throw new IllegalArgumentException("deployable networks are NCHW");
            g.addVertex(STANDARDISE, new StandardiseVertex(standardisation), OpGraph.INPUT);
            input = STANDARDISE;
        }
        for (Node node : graph.nodes()) add(g, node, graph, input, weightDecay);
        g.setOutputs(graph.output().name());
        ComputationGraphConfiguration conf = g.build();
        // Our node order is already topological. Pinning it makes DL4J lay out the flattened parameters in the
        // same order as paramTable() (its own Kahn sort can differ on branching graphs, which breaks name-based
        // tooling such as GradientCheckUtil's excludeParams) and independent of hash-set iteration order.
        List<String> order = new ArrayList<>(graph.nodes().size() + 2);
        order.add(OpGraph.INPUT);
        if (standardisation != null) order.add(STANDARDISE);
        for (Node node : graph.nodes()) order.add(node.name());
        int[] indices = new int[order.size()];
        for (int i = 0; i < indices.length; i++) indices[i] = i;
        conf.setTopologicalOrder(indices);
        conf.setTopologicalOrderStr(order);
        return conf;
    }

    private void add(ComputationGraphConfiguration.GraphBuilder g, Node node, OpGraph graph, String input,
                     double weightDecay) {
        String name = node.name();
        String[] in = node.inputs().stream().map(i -> i.equals(OpGraph.INPUT) ? input : i).toArray(String[]::new);
        Op op = node.op();
        if (op instanceof Op.Conv c) {
            g.addLayer(name, decayed(conv(c, graph.shapeOf(node.inputs().get(0))), weightDecay), in);
        } else if (op instanceof Op.BatchNorm) {
            g.addLayer(name, new BatchNormalization.Builder().build(), in);
        } else if (op instanceof Op.Act a) {
            g.addLayer(name, new ActivationLayer.Builder().activation(activation(a.function())).build(), in);
        } else if (op instanceof Op.Pool p) {
            g.addLayer(name, new SubsamplingLayer.Builder(p.type() == Op.PoolKind.MAX ? PoolingType.MAX : PoolingType.AVG)
                    .kernelSize(p.kernel(), p.kernel()).stride(p.stride(), p.stride()).padding(p.padding(), p.padding())
                    .build(), in);
        } else if (op instanceof Op.GlobalAvgPool) {
            g.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
        } else if (op instanceof Op.Add) {
            g.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), in);
        } else if (op instanceof Op.Concat) {
            g.addVertex(name, new MergeVertex(), in);
        } else if (op instanceof Op.SeScale) {
            g.addVertex(name, new ChannelScaleVertex(format == CNN2DFormat.NHWC), in);
        } else if (op instanceof Op.Dense d) {
            g.addLayer(name, decayed(new DenseLayer.Builder().nOut(d.units()).hasBias(d.bias())
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build(), weightDecay), in);
        } else if (op instanceof Op.Dropout d) {
            // DL4J's argument is the probability of keeping an activation
            g.addLayer(name, new DropoutLayer.Builder(1.0 - d.rate()).build(), in);
        } else if (op instanceof Op.Classifier c) {
            g.addLayer(name, decayed(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(c.classes())
                    .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(),
                    weightDecay), in);
        } else {
            throw new IllegalArgumentException("no DL4J translation for op " + op);
        }
    }

    /**
     * {@code layer} with one decoupled WeightDecay(coefficient, applyLR) on its weights ({@code regularization}
     * covers W only; its biases keep {@code regularizationBias}, empty): the recipe's lr·wd·w per step, as PyTorch.
     * A layer's own non-empty list is kept as it is by the graph builder, and no global list is merged in.
     */
    private static BaseLayer decayed(BaseLayer layer, double weightDecay) {
        List<Regularization> regs = new ArrayList<>();
        if (weightDecay > 0) regs.add(new WeightDecay(weightDecay, true));
        layer.setRegularization(regs);
        layer.setRegularizationBias(new ArrayList<>());
        return layer;
    }

    private static BaseLayer conv(Op.Conv c, Shape input) {
        if (c.grouped(input.channels())) {
            return new GroupedConvolution.Builder(c.kernel(), c.groups())
                    .nOut(c.filters()).stride(c.stride(), c.stride()).padding(c.padding(), c.padding())
                    .hasBias(c.bias()).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        }
        if (c.depthwise(input.channels())) {
            return new DepthwiseConvolution2D.Builder(c.kernel(), c.kernel())
                    .depthMultiplier(c.filters() / input.channels())
                    .nOut(c.filters()).stride(c.stride(), c.stride()).padding(c.padding(), c.padding())
                    .hasBias(c.bias()).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        }
        return new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                .nOut(c.filters()).stride(c.stride(), c.stride()).padding(c.padding(), c.padding())
                .hasBias(c.bias()).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
    }

    static org.nd4j.linalg.activations.Activation activation(Activation a) {
        return switch (a) {
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case LEAKY_RELU -> org.nd4j.linalg.activations.Activation.LEAKYRELU;
            case ELU -> org.nd4j.linalg.activations.Activation.ELU;
            case SILU -> org.nd4j.linalg.activations.Activation.SWISH;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
        };
    }
}
