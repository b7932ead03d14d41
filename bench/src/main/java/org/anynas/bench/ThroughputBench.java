package org.anynas.bench;

import org.anynas.space.UserInputException;
import org.anynas.dl4j.GraphTranslator;
import org.anynas.dl4j.Tensors;
import org.anynas.data.DatasetLocator;
import org.anynas.data.ImageSet;
import org.anynas.data.KnownDataset;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Training and inference throughput of DL4J (as the evaluator runs it) against PyTorch CPU on the same network,
 * batch, thread count and Fashion-MNIST images. Runs alternate DL4J and PyTorch, flipping the order every round,
 * so drift of the machine falls on both; each side builds a fresh network per run and warms up untimed first.
 */
public final class ThroughputBench {
    public static final List<String> REFERENCES = List.of("plain", "residual", "inverted-se");

    public record Settings(int batch, int inferenceBatch, int steps, int warmup, int rounds, int threads, String python,
                           Path dataDir, Path workDir) {
        public Settings {
            if (batch < 1 || inferenceBatch < 1 || steps < 1 || warmup < 0 || rounds < 1 || threads < 1) {
                throw new UserInputException("--batch, --inference-batch, --steps, --rounds and --threads must be >= 1 "
                        + "and --warmup >= 0");
            }
        }
    }

    /** Medians over the rounds, images per second; DL4J in both activation layouts (NCHW, NHWC). */
    public record Row(String name, String oneLine, long params, long macs, double dl4jTrain, double dl4jTrainNhwc,
                      double torchTrain, double dl4jInfer, double dl4jInferNhwc, double torchInfer) {
        /** The evaluator trains in NCHW. */
        public double trainRatio() {
            return dl4jTrain / torchTrain;
        }

        /** The evaluator measures inference in NHWC. */
        public double inferRatio() {
            return dl4jInferNhwc / torchInfer;
        }
    }

    private ThroughputBench() {
    }

    public static Architecture reference(String name) {
        return ArchitectureJson.read(TorchPeer.unpack("/bench/architectures/" + name + ".json",
                Path.of(System.getProperty("java.io.tmpdir"), "anynas-bench-" + name + ".json")));
    }

    /** The rows, and the PyTorch version they were measured against. */
    public record Result(List<Row> rows, String torchVersion) {
    }

    public static Result run(Settings s, PrintStream progress) {
        TorchPeer torch = TorchPeer.of(s.python(), s.workDir());
        Path dataDir = DatasetLocator.standard().locate(KnownDataset.FASHION_MNIST, s.dataDir());
        int images = Math.max(s.batch(), s.inferenceBatch()) * (s.steps() + s.warmup());
        ImageSet raw = KnownDataset.FASHION_MNIST.read(dataDir)[0];
        // the PyTorch side takes the first images of the same file and standardises them the same way
        ImageSet first = cycle(raw, images);
        Tensors data = Tensors.of(first, Tensors.meanStd(first));
        List<Row> rows = new ArrayList<>();
        for (String name : REFERENCES) {
            Architecture arch = ArchitectureJson.read(TorchPeer.unpack("/bench/architectures/" + name + ".json",
                    s.workDir().resolve(name + ".json")));
            Path file = TorchPeer.graphFile(arch, s.workDir().resolve(name + ".graph.json"));
            long params = arch.graph().params();
            long torchParams = torch.params(file);
            if (torchParams != params) {
                throw new IllegalStateException(name + ": PyTorch builds " + torchParams + " parameters, the space counts " + params);
            }
            double[][] t = new double[6][s.rounds()];
            for (int r = 0; r < s.rounds(); r++) {
                boolean dl4jFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == dl4jFirst) {
                        t[0][r] = dl4jTrain(arch, data, s, false);
                        t[1][r] = dl4jTrain(arch, data, s, true);
                        t[3][r] = dl4jInfer(arch, data, s, false);
                        t[4][r] = dl4jInfer(arch, data, s, true);
                    } else {
                        t[2][r] = torch.imagesPerSecond(file, dataDir, "train", s.batch(), s.steps(), s.warmup(), s.threads(), params);
                        t[5][r] = torch.imagesPerSecond(file, dataDir, "infer", s.inferenceBatch(), s.steps(), s.warmup(), s.threads(), params);
                    }
                }
                progress.printf(Locale.ROOT, "%-12s round %d/%d: train DL4J %5.0f (NHWC %5.0f) vs PyTorch %5.0f img/s; "
                        + "inference %6.0f (NHWC %6.0f) vs %6.0f img/s%n", name, r + 1, s.rounds(), t[0][r], t[1][r], t[2][r],
                        t[3][r], t[4][r], t[5][r]);
            }
            rows.add(new Row(name, arch.oneLine(), params, arch.graph().macs(), median(t[0]), median(t[1]), median(t[2]),
                    median(t[3]), median(t[4]), median(t[5])));
        }
        return new Result(rows, torch.version());
    }

    static double dl4jTrain(Architecture arch, Tensors data, Settings s, boolean channelsLast) {
        Fidelity f = new Fidelity(1, data.size(), 1, s.batch(), Fidelity.Optimizer.ADAM, 2e-3, Fidelity.Schedule.CONSTANT, 0, 1);
        ComputationGraph net = translator(channelsLast).build(arch.graph(), f, s.steps() + s.warmup());
        try {
            for (int i = 0; i < s.warmup(); i++) step(net, data, i, s.batch(), channelsLast);
            long t0 = System.nanoTime();
            for (int i = s.warmup(); i < s.warmup() + s.steps(); i++) step(net, data, i, s.batch(), channelsLast);
            return (double) s.batch() * s.steps() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            net.clear();
        }
    }

    /** One training step as the evaluator takes it: gather the batch natively, fit, read the loss. */
    private static void step(ComputationGraph net, Tensors data, int i, int batch, boolean channelsLast) {
        int[] idx = new int[batch];
        for (int j = 0; j < batch; j++) idx[j] = i * batch + j;
        INDArray[] xy = data.batch(idx);
        net.fit(new DataSet(channelsLast ? Tensors.channelsLast(xy[0]) : xy[0], xy[1]));
        if (!Double.isFinite(net.score())) throw new IllegalStateException("loss diverged during the benchmark");
    }

    static double dl4jInfer(Architecture arch, Tensors data, Settings s, boolean channelsLast) {
        Fidelity f = new Fidelity(1, data.size(), 1, s.inferenceBatch(), Fidelity.Optimizer.ADAM, 2e-3, Fidelity.Schedule.CONSTANT, 0, 1);
        ComputationGraph net = translator(channelsLast).build(arch.graph(), f, 1);
        try {
            int b = s.inferenceBatch();
            for (int i = 0; i < s.warmup(); i++) net.outputSingle(false, input(data, i, b, channelsLast));
            long t0 = System.nanoTime();
            for (int i = s.warmup(); i < s.warmup() + s.steps(); i++) net.outputSingle(false, input(data, i, b, channelsLast));
            return (double) b * s.steps() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            net.clear();
        }
    }

    private static GraphTranslator translator(boolean channelsLast) {
        return channelsLast ? GraphTranslator.floats().channelsLast() : GraphTranslator.floats();
    }

    private static INDArray input(Tensors data, int i, int batch, boolean channelsLast) {
        INDArray x = data.range(i * batch, (i + 1) * batch)[0];
        return channelsLast ? Tensors.channelsLast(x) : x;
    }

    private static ImageSet cycle(ImageSet set, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i % set.size();
        return set.select(idx, "");
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static MarkdownReport report(Result result, Settings s, String command, Machine machine) {
        List<Row> rows = result.rows();
        String torchVersion = result.torchVersion();
        MarkdownReport md = MarkdownReport.of("Training throughput: DL4J (AnyNAS evaluator) vs PyTorch CPU", command, machine);
        md.paragraph(String.format(Locale.ROOT, "Fashion-MNIST 1×28×28, float32, NCHW. Training: batch %d, Adam, %d timed steps after "
                        + "%d warm-up steps; inference: batch %d, %d timed forward passes. %d threads each side, %d rounds alternating "
                        + "which side runs first; medians shown. PyTorch %s builds the same network from the same op "
                        + "graph (`bench/torch_reference.py`); parameter counts are checked equal before timing.", s.batch(), s.steps(),
                s.warmup(), s.inferenceBatch(), s.steps(), s.threads(), s.rounds(), torchVersion));
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.name(), String.format(Locale.ROOT, "%,d", r.params()), String.format(Locale.ROOT, "%.2fM", r.macs() / 1e6),
                    f0(r.dl4jTrain()), f0(r.dl4jTrainNhwc()), f0(r.torchTrain()), String.format(Locale.ROOT, "**%.2f**", r.trainRatio()),
                    f0(r.dl4jInfer()), f0(r.dl4jInferNhwc()), f0(r.torchInfer()), String.format(Locale.ROOT, "**%.2f**", r.inferRatio())));
        }
        md.table(List.of("architecture", "params", "MACs/img", "train DL4J NCHW", "train DL4J NHWC", "train PyTorch",
                "train ratio (NCHW)", "infer DL4J NCHW", "infer DL4J NHWC", "infer PyTorch", "infer ratio (NHWC)"), table);
        md.paragraph("img/s. The evaluator trains in NCHW and measures inference in NHWC (the same parameters, see "
                + "`GraphTranslator.channelsLast`); the ratios compare those with PyTorch.");
        List<List<String>> archs = new ArrayList<>();
        for (Row r : rows) archs.add(List.of(r.name(), "`" + r.oneLine().replace("|", "\\|") + "`"));
        md.table(List.of("architecture", "network"), archs);
        return md;
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
