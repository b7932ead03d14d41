package org.anynas.evaluator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

class BnProbeTest {
    @Test
    void probe() {
        CpuBackend.activate();
        for (int c : new int[]{16, 32, 64}) {
            int hw = c == 16 ? 28 : c == 32 ? 14 : 7;
            int n = 128;
            INDArray x = Nd4j.rand(DataType.FLOAT, n, c, hw, hw);
            INDArray eps = Nd4j.rand(DataType.FLOAT, n, c, hw, hw);
            INDArray mean = Nd4j.create(DataType.FLOAT, c);
            INDArray var = Nd4j.create(DataType.FLOAT, c);
            INDArray gamma = Nd4j.ones(DataType.FLOAT, c);
            INDArray beta = Nd4j.zeros(DataType.FLOAT, c);
            INDArray out = Nd4j.create(DataType.FLOAT, x.shape());
            int reps = 50;
            for (int w = 0; w < 2; w++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    x.mean(mean, 0, 2, 3); Nd4j.exec(new Variance(x, var, false, 0, 2, 3));
                    DynamicCustomOp op = DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta)
                            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build();
                    op.setOutputArgument(0, out);
                    Nd4j.exec(op);
                }
                long t1 = System.nanoTime();
                INDArray dm = Nd4j.create(DataType.FLOAT, c), dv = Nd4j.create(DataType.FLOAT, c), dg = Nd4j.create(DataType.FLOAT, c), db = Nd4j.create(DataType.FLOAT, c);
                for (int i = 0; i < reps; i++) {
                    DynamicCustomOp op = DynamicCustomOp.builder("batchnorm_bp").addInputs(x, mean, var, gamma, beta, eps)
                            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(1e-5).build();
                    op.setOutputArgument(0, out); op.setOutputArgument(1, dm); op.setOutputArgument(2, dv);
                    op.setOutputArgument(3, dg); op.setOutputArgument(4, db);
                    Nd4j.exec(op);
                }
                long t2 = System.nanoTime();
                float[] g = gamma.toFloatVector(), b = beta.toFloatVector();
                for (int i = 0; i < reps; i++) forward(x, out, g, b, n, c, hw * hw);
                long t3 = System.nanoTime();
                for (int i = 0; i < reps; i++) backward(x, eps, out, g, n, c, hw * hw);
                long t4 = System.nanoTime();
                System.out.printf("c=%d hw=%d: nd4j fwd %.2f ms, nd4j bp %.2f ms | java fwd %.2f ms, java bp %.2f ms%n",
                        c, hw, (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps, (t3 - t2) / 1e6 / reps, (t4 - t3) / 1e6 / reps);
            }
        }
    }

    static float[] mu, inv;

    static void forward(INDArray xa, INDArray outa, float[] g, float[] b, int n, int c, int hw) {
        FloatBuffer x = xa.data().asNioFloat();
        FloatBuffer out = outa.data().asNioFloat();
        mu = new float[c];
        inv = new float[c];
        IntStream.range(0, c).parallel().forEach(ch -> {
            double s = 0, sq = 0;
            float[] row = new float[hw];
            for (int i = 0; i < n; i++) {
                x.get((i * c + ch) * hw, row, 0, hw);
                float rs = 0, rq = 0;
                for (int k = 0; k < hw; k++) { float v = row[k]; rs += v; rq += v * v; }
                s += rs; sq += rq;
            }
            double m = s / ((double) n * hw);
            double v = sq / ((double) n * hw) - m * m;
            mu[ch] = (float) m;
            inv[ch] = (float) (1 / Math.sqrt(v + 1e-5));
            float scale = g[ch] * inv[ch], shift = b[ch] - (float) m * scale;
            for (int i = 0; i < n; i++) {
                x.get((i * c + ch) * hw, row, 0, hw);
                for (int k = 0; k < hw; k++) row[k] = row[k] * scale + shift;
                out.put((i * c + ch) * hw, row, 0, hw);
            }
        });
    }

    static void backward(INDArray xa, INDArray ea, INDArray dxa, float[] g, int n, int c, int hw) {
        FloatBuffer x = xa.data().asNioFloat();
        FloatBuffer e = ea.data().asNioFloat();
        FloatBuffer dx = dxa.data().asNioFloat();
        IntStream.range(0, c).parallel().forEach(ch -> {
            float[] xr = new float[hw], er = new float[hw];
            float m = mu[ch], is = inv[ch];
            double sdy = 0, sdyx = 0;
            for (int i = 0; i < n; i++) {
                x.get((i * c + ch) * hw, xr, 0, hw);
                e.get((i * c + ch) * hw, er, 0, hw);
                float a = 0, bb = 0;
                for (int k = 0; k < hw; k++) { a += er[k]; bb += er[k] * (xr[k] - m); }
                sdy += a; sdyx += bb;
            }
            double cnt = (double) n * hw;
            float k1 = g[ch] * is;
            float meanDy = (float) (sdy / cnt);
            float k2 = (float) (sdyx * is * is / cnt);
            for (int i = 0; i < n; i++) {
                x.get((i * c + ch) * hw, xr, 0, hw);
                e.get((i * c + ch) * hw, er, 0, hw);
                for (int k = 0; k < hw; k++) er[k] = k1 * (er[k] - meanDy - (xr[k] - m) * k2);
                dx.put((i * c + ch) * hw, er, 0, hw);
            }
        });
    }
}
