package org.anynas.dl4j;

import onnx.Onnx;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageSet;
import org.anynas.dl4j.onnx.CrossRuntimeCheck;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.OnnxRuntimeModel;
import org.anynas.dl4j.onnx.OnnxWriter;
import org.anynas.space.Architecture;
import org.anynas.space.BlockType;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.OpGraph;
import org.anynas.space.Sampler;
import org.anynas.space.Shape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exported models load in OpenCV's DNN module too (Debian's python3-opencv, which {@code .ci/run} installs) and give
 * ONNX Runtime's probabilities there: every block type with and without SE, grouped-convolution networks, and
 * architectures sampled from every built-in space ({@link DesignSpace#BUILT_IN}, so new built-ins are checked as they
 * come). Skipped where /usr/bin/python3 has no cv2. One Python process runs every model.
 */
class OpenCvExportTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int PER_SPACE = 2;
    private static final int IMAGES = 4;

    static {
        CpuBackend.activate();
    }

    /** The networks checked, by name. */
    static Map<String, OpGraph> networks(Shape input, int classes) {
        Map<String, OpGraph> out = new LinkedHashMap<>();
        for (BlockType b : BlockType.values()) {
            for (boolean se : new boolean[]{false, true}) {
                out.put("block-" + b.name().toLowerCase() + (se ? "-se" : ""), Blocks.tiny(b, se, input, classes).graph());
            }
        }
        out.put("grouped", Blocks.grouped(input, classes));
        for (String space : DesignSpace.BUILT_IN) {
            Genome layout = DesignSpace.load(space).genome(input, classes);
            Sampler sampler = Sampler.of(layout);
            Random random = new Random(17);
            for (int i = 0; i < PER_SPACE; i++) {
                out.put("space-" + space + "-" + i, layout.decode(sampler.sample(random, 40_000)).graph());
            }
        }
        return out;
    }

    @Test
    void everyBlockGroupedNetworksAndSampledArchitecturesOfEveryBuiltInSpaceGiveOnnxRuntimesProbabilitiesInOpenCv(
            @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && python(dir, "--version").exitCode == 0, "no cv2 for /usr/bin/python3");
        Dataset fashion = Datasets.load("fashion-mnist", null, 1000, 1);
        ImageSet images = fashion.test().first(IMAGES);
        Standardisation norm = Standardisation.of(fashion.train().first(2000));
        float[] pixels = CrossRuntimeCheck.pixels(images);
        Shape s = fashion.shape();
        Map<String, float[][]> ort = new LinkedHashMap<>();
        Map<String, OpGraph> nets = networks(s, fashion.classes());
        for (var e : nets.entrySet()) {
            ComputationGraph net = untrained(e.getValue());
            try {
                ModelMetadata meta = new ModelMetadata(ModelMetadata.INPUT, s, fashion.classNames(), "fashion-mnist",
                        "0123456789abcdef", norm, 0.5, Double.NaN, org.anynas.data.InputRule.STRETCH);
                Onnx.ModelProto model = OnnxWriter.of(e.getValue(), meta).write(net);
                Files.write(dir.resolve(e.getKey() + ".onnx"), model.toByteArray());
                try (OnnxRuntimeModel m = OnnxRuntimeModel.of(model.toByteArray())) {
                    ort.put(e.getKey(), m.probabilities(pixels, IMAGES, s.channels(), s.height(), s.width()));
                }
            } finally {
                net.clear();
            }
            Nd4j.writeAsNumpy(Nd4j.create(pixels, new long[]{IMAGES, s.channels(), s.height(), s.width()}, 'c'),
                    dir.resolve(e.getKey() + "-x.npy").toFile());
        }
        Run r = python(dir, dir.toString());
        assertThat(r.exitCode).as(r.output).isZero();
        List<String> refused = r.output.lines().filter(l -> !l.startsWith("ok ")).toList();
        assertThat(refused).as("models OpenCV refuses").isEmpty();
        double largest = 0;
        for (var e : ort.entrySet()) {
            INDArray cv = Nd4j.createFromNpyFile(dir.resolve(e.getKey() + "-cv.npy").toFile());
            float[][] p = e.getValue();
            assertThat(cv.shape()).as(e.getKey()).containsExactly(p.length, p[0].length);
            double diff = 0;
            for (int i = 0; i < p.length; i++) {
                for (int c = 0; c < p[i].length; c++) diff = Math.max(diff, Math.abs(cv.getDouble(i, c) - p[i][c]));
            }
            assertThat(diff).as("%s: max |p_opencv - p_onnxruntime|", e.getKey()).isLessThanOrEqualTo(CrossRuntimeCheck.TOLERANCE);
            largest = Math.max(largest, diff);
        }
        System.out.printf("OpenCV %s: %d models, max |p_opencv - p_onnxruntime| = %.2e%n",
                python(dir, "--version").output.strip(), ort.size(), largest);
    }

    /**
     * A freshly initialised network with batch-norm statistics drawn away from 0 and 1, so that both runtimes must
     * read every array (training it first, as OnnxExportTest does, would cost seconds per network and check nothing more
     * here: both runtimes read the same file).
     */
    private static ComputationGraph untrained(OpGraph graph) {
        ComputationGraph net = GraphTranslator.floats().build(graph, new org.anynas.space.Fidelity(1, 128, 128, 32,
                org.anynas.space.Fidelity.Optimizer.ADAM, 0.003, org.anynas.space.Fidelity.Schedule.CONSTANT, 0, 1), 1);
        Nd4j.getRandom().setSeed(3);
        for (var p : net.paramTable().entrySet()) {
            INDArray v = p.getValue();
            if (p.getKey().endsWith("_mean")) v.assign(Nd4j.rand(v.dataType(), v.shape()).subi(0.5).muli(0.4));
            if (p.getKey().endsWith("_var")) v.assign(Nd4j.rand(v.dataType(), v.shape()).addi(0.5));
            if (p.getKey().endsWith("_log10stdev")) v.assign(Nd4j.rand(v.dataType(), v.shape()).subi(0.5).muli(0.4));
        }
        return net;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run python(Path dir, String arg) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(),
                Path.of("src/test/python/opencv_check.py").toAbsolutePath().toString(), arg));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
