package org.anynas.dl4j.onnx;

import onnx.Onnx;
import org.anynas.dl4j.Standardisation;
import org.anynas.dl4j.Tensors;
import org.anynas.data.ImageSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Do the exported files compute the trained network? Real images go through the network as the evaluation code
 * runs it (standardised by {@link Tensors}), through {@code model.onnx} in ONNX Runtime and through the
 * deployable DL4J graph, both fed pixel / 255; the result is the largest absolute difference of any
 * probability.
 */
public record CrossRuntimeCheck(int images, double onnxDifference, double zipDifference, String runtimeVersion,
                                double torchDifference) {

    /** The largest difference an export accepts. */
    public static final double TOLERANCE = 1e-4;

    public static CrossRuntimeCheck of(ComputationGraph trained, Standardisation standardisation, Onnx.ModelProto onnx,
                                       ComputationGraph deployable, ImageSet images) {
        return of(trained, standardisation, onnx, deployable, images, null);
    }

    /**
     * The same check with a third runtime: PyTorch's own probabilities for the first images (the network was trained
     * there and its weights moved into {@code trained}).
     */
    public static CrossRuntimeCheck withPyTorch(ComputationGraph trained, Standardisation standardisation, Onnx.ModelProto onnx,
                                                ComputationGraph deployable, ImageSet images, INDArray torchProbabilities) {
        int n = (int) Math.min(images.size(), torchProbabilities.size(0));
        return of(trained, standardisation, onnx, deployable, images.first(n), torchProbabilities);
    }

    /** {@code torch}: PyTorch's probabilities for at least these images, or null (no third runtime). */
    private static CrossRuntimeCheck of(ComputationGraph trained, Standardisation standardisation, Onnx.ModelProto onnx,
                                        ComputationGraph deployable, ImageSet images, INDArray torch) {
        int n = images.size();
        INDArray expected = trained.outputSingle(false, Tensors.of(images, standardisation.asArrays()).range(0, n)[0]);
        float[] raw = pixels(images);
        var s = images.shape();
        float[][] ort;
        try (OnnxRuntimeModel model = OnnxRuntimeModel.of(onnx.toByteArray())) {
            ort = model.probabilities(raw, n, s.channels(), s.height(), s.width());
        }
        INDArray zip = deployable.outputSingle(false, Nd4j.create(raw, new long[]{n, s.channels(), s.height(), s.width()}, 'c'));
        boolean torchFits = torch == null || torch.size(1) == expected.size(1);
        double onnxDiff = 0;
        double zipDiff = 0;
        double torchDiff = torch == null ? Double.NaN : 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ort[i].length; c++) {
                float e = expected.getFloat(i, c);
                onnxDiff = Math.max(onnxDiff, Math.abs(ort[i][c] - e));
                zipDiff = Math.max(zipDiff, Math.abs(zip.getFloat(i, c) - e));
                if (torch != null && torchFits) torchDiff = Math.max(torchDiff, Math.abs(torch.getDouble(i, c) - e));
            }
        }
        if (!Double.isFinite(onnxDiff) || !Double.isFinite(zipDiff) || ort[0].length != expected.size(1)) {
            onnxDiff = Double.POSITIVE_INFINITY;
        }
        if (torch != null && (!torchFits || !Double.isFinite(torchDiff))) torchDiff = Double.POSITIVE_INFINITY;
        return new CrossRuntimeCheck(n, onnxDiff, zipDiff, OnnxRuntimeModel.runtimeVersion(), torchDiff);
    }

    /** An image set's pixels / 255, NCHW: what users feed the exported files. */
    public static float[] pixels(ImageSet images) {
        byte[] px = images.pixels(); // a few test images
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) x[i] = (px[i] & 0xff) / 255f;
        return x;
    }

    public boolean passes() {
        return onnxDifference <= TOLERANCE && zipDifference <= TOLERANCE && (Double.isNaN(torchDifference) || torchDifference <= TOLERANCE);
    }

    /** For summary.txt and the console. */
    public String oneLine() {
        String torch = Double.isNaN(torchDifference) ? ""
                : String.format(Locale.ROOT, "; trained in PyTorch: max |p_torch - p_dl4j| = %.2e", torchDifference);
        return String.format(Locale.ROOT, "max |p_onnx - p_dl4j| = %.2e over %d held-out images (ONNX Runtime %s); "
                + "model.zip on raw pixels: %.2e%s; tolerance %.0e", onnxDifference, images, runtimeVersion, zipDifference, torch, TOLERANCE);
    }
}
