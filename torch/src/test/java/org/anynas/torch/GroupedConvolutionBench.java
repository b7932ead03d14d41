package org.anynas.torch;

import org.anynas.dl4j.CpuBackend;
import org.anynas.evaluator.GroupedConvolution;

import org.anynas.torch.TorchProbe;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Forward + backward of one grouped convolution layer, DL4J ({@link GroupedConvolution}) against PyTorch's
 * conv2d(groups=g), float32 on the CPU, same shapes and thread count (every core the process may use), one after the
 * other in the same run, and DL4J's own full ConvolutionLayer (g = 1) on the same shape; medians of 10 after 2 warm-up runs. Off by default (minutes on a loaded machine):
 * {@code OMP_WAIT_POLICY=PASSIVE mvn -B -q -o -pl torch -am test -Dtest=GroupedConvolutionBench -Dsurefire.failIfNoSpecifiedTests=false -Danynas.bench.grouped=true}
 * (PASSIVE: the PyTorch subprocess always has it; without it ND4J's OpenMP threads spin, and on a loaded machine DL4J's
 * times, full convolution included, grow 5–20×).
 * Prints a Markdown table for bench/results/grouped-conv-*.md.
 */
class GroupedConvolutionBench {
    private static final int REPS = 10;
    /** N, C in = C out, H = W, k, groups. */
    private static final int[][] SHAPES = {
            {64, 64, 16, 3, 2}, {64, 64, 16, 3, 4}, {64, 64, 16, 3, 8}, {64, 64, 16, 3, 16},
            {64, 128, 8, 3, 4}, {64, 128, 8, 3, 32},
    };

    @Test
    void forwardPlusBackwardAgainstPyTorch(@TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("anynas.bench.grouped"), "set -Danynas.bench.grouped=true to run");
        TorchProbe.Result probe = TorchProbe.probe("");
        assumeTrue(probe.torch().isPresent(), "PyTorch not found");
        StringBuilder table = new StringBuilder("| N | C_in = C_out | H×W | k | groups | DL4J ms | PyTorch ms | DL4J / PyTorch "
                + "| DL4J full conv ms | DL4J grouped / DL4J full |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (int[] s : SHAPES) {
            double dl4j = time(grouped(s), s);
            double full = time(full(s), s);
            double torch = Double.parseDouble(GroupedConvolutionTest.python(probe.torch().get().python(), dir, "bench",
                    String.valueOf(s[0]), String.valueOf(s[1]), String.valueOf(s[2]), String.valueOf(s[2]),
                    String.valueOf(s[1]), String.valueOf(s[3]), String.valueOf(s[4]), String.valueOf(REPS)).get(0));
            table.append(String.format(Locale.ROOT, "| %d | %d | %d×%d | %d | %d | %.1f | %.1f | %.2f | %.1f | %.2f |%n",
                    s[0], s[1], s[2], s[2], s[3], s[4], dl4j, torch, dl4j / torch, full, dl4j / full));
            System.out.println(Arrays.toString(s) + " dl4j " + dl4j + " torch " + torch + " dl4j full " + full);
        }
        System.out.println(CpuBackend.describe() + ", ND4J threads " + Nd4j.getEnvironment().maxThreads());
        System.out.println(table);
    }

    private static Layer grouped(int[] s) {
        return GroupedConvolutionTest.Single.of(s[1], s[1], s[3], 1, s[3] / 2, s[4], false, DataType.FLOAT, CNN2DFormat.NCHW).layer();
    }

    /** DL4J's own ConvolutionLayer (g = 1, oneDNN helper) on the same shape: the floor this backend reaches. */
    private static Layer full(int[] s) {
        ConvolutionLayer conf = new ConvolutionLayer.Builder(s[3], s[3]).nIn(s[1]).nOut(s[1]).padding(s[3] / 2, s[3] / 2)
                .hasBias(false).activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        NeuralNetConfiguration nn = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3).layer(conf).build();
        long n = conf.initializer().numParams(nn);
        Layer layer = conf.instantiate(nn, List.of(), 0, Nd4j.create(DataType.FLOAT, 1, n), true, DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        return layer;
    }

    private static double time(Layer l, int[] s) {
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.randn(DataType.FLOAT, s[0], s[1], s[2], s[2]);
        INDArray dy = Nd4j.ones(DataType.FLOAT, s[0], s[1], s[2], s[2]);
        double[] ms = new double[REPS];
        for (int i = 0; i < REPS + 2; i++) {
            long t = System.nanoTime();
            l.setInput(x, LayerWorkspaceMgr.noWorkspaces()); // forward, then backward (input and weight gradients)
            l.activate(true, LayerWorkspaceMgr.noWorkspaces());
            l.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
            if (i >= 2) ms[i - 2] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return (ms[REPS / 2 - 1] + ms[REPS / 2]) / 2;
    }
}
