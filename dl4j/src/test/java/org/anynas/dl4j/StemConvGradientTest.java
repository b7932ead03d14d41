package org.anynas.dl4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The weight/bias gradients against the definition, summed in double, on awkward geometries. */
class StemConvGradientTest {

    /** {@code weights} in [K][C][kh][kw] order, {@code bias} per filter. */
    private record Gradients(float[] weights, float[] bias) {
    }

    private record Case(StemConvGradient.Geometry g, float[] x, float[] dy) {
        static Case random(StemConvGradient.Geometry g, long seed) {
            Random r = new Random(seed);
            float[] x = new float[g.n() * g.c() * g.h() * g.w()];
            float[] dy = new float[g.n() * g.k() * g.oh() * g.ow()];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() + 0.5);
            for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextGaussian();
            return new Case(g, x, dy);
        }

        Gradients kernel() {
            return kernel(x);
        }

        Gradients kernel(float[] input) {
            INDArray w = Nd4j.zeros(DataType.FLOAT, g.k(), g.c(), g.kh(), g.kw());
            INDArray b = Nd4j.zeros(DataType.FLOAT, 1, g.k());
            // views past the first sample of larger arrays: offsets into the buffer, as DL4J's arrays have them
            StemConvGradient.compute(g, afterOneSample(input, g.c(), g.h(), g.w()), afterOneSample(dy, g.k(), g.oh(), g.ow()), w, b);
            return new Gradients(w.data().asFloat(), b.data().asFloat());
        }

        /** dW[f][c][i][j] = Σ dy[s][f][y][x] · in[s][c][y+i−ph][x+j−pw]; db[f] = Σ dy[s][f]. */
        Gradients reference() {
            double[] w = new double[g.k() * g.c() * g.kh() * g.kw()];
            double[] b = new double[g.k()];
            for (int s = 0; s < g.n(); s++)
                for (int f = 0; f < g.k(); f++)
                    for (int y = 0; y < g.oh(); y++)
                        for (int xo = 0; xo < g.ow(); xo++) {
                            double d = dy[((s * g.k() + f) * g.oh() + y) * g.ow() + xo];
                            b[f] += d;
                            for (int c = 0; c < g.c(); c++)
                                for (int i = 0; i < g.kh(); i++)
                                    for (int j = 0; j < g.kw(); j++) {
                                        int iy = y + i - g.ph();
                                        int ix = xo + j - g.pw();
                                        if (iy < 0 || ix < 0 || iy >= g.h() || ix >= g.w()) continue;
                                        w[((f * g.c() + c) * g.kh() + i) * g.kw() + j] +=
                                                d * x[((s * g.c() + c) * g.h() + iy) * g.w() + ix];
                                    }
                        }
            return new Gradients(floats(w), floats(b));
        }
    }

    private static INDArray afterOneSample(float[] data, int c, int h, int w) {
        int n = data.length / (c * h * w);
        INDArray big = Nd4j.rand(DataType.FLOAT, n + 1, c, h, w);
        INDArray view = big.get(NDArrayIndex.interval(1, n + 1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        view.assign(Nd4j.create(data, new long[]{n, c, h, w}, DataType.FLOAT));
        assertThat(view.offset()).isPositive();
        return view;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Relative L2 error per gradient, the same measure the network tests use. */
    static void assertClose(float[] ours, float[] expected, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < ours.length; i++) {
            diff += Math.pow(ours[i] - expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        assertThat(ours).as(what).hasSameSizeAs(expected);
        assertThat(Math.sqrt(diff / norm)).as(what).isLessThan(1e-5);
    }

    @ParameterizedTest(name = "n{0} c{1} {2}x{3} k{4} kernel {5}x{6} pad {7},{8}")
    @CsvSource({
            "128, 1, 28, 28, 16, 3, 3, 1, 1", // the grey Fashion-MNIST stem
            "5, 3, 12, 12, 8, 3, 3, 1, 1",    // colour
            "1, 2, 9, 7, 3, 5, 3, 2, 0",      // non-square kernel and image, one sample
            "3, 1, 6, 6, 4, 1, 1, 0, 0",      // 1×1 kernel
            "2, 3, 8, 11, 5, 3, 5, 0, 2",     // no vertical padding, wide kernel
    })
    void matchesTheDefinition(int n, int c, int h, int w, int k, int kh, int kw, int ph, int pw) {
        Case cs = Case.random(new StemConvGradient.Geometry(n, c, h, w, k, kh, kw, ph, pw), 17);
        Gradients ours = cs.kernel();
        Gradients ref = cs.reference();
        assertClose(ours.weights(), ref.weights(), "weights");
        assertClose(ours.bias(), ref.bias(), "bias");
    }

    /** The comparison catches the errors a broken kernel makes: one tap off by a pixel, one wrong element. */
    @Test
    void plantedErrorsAreDetected() {
        Case cs = Case.random(new StemConvGradient.Geometry(4, 1, 10, 10, 6, 3, 3, 1, 1), 3);
        Gradients ref = cs.reference();
        float[] shifted = new float[cs.x().length]; // the input read one column to the left
        for (int i = 0; i < shifted.length; i++) shifted[i] = i % 10 == 9 ? 0 : cs.x()[i + 1];
        float[] offByOne = cs.kernel(shifted).weights();
        assertThatThrownBy(() -> assertClose(offByOne, ref.weights(), "shifted")).isInstanceOf(AssertionError.class);

        float[] oneWrong = cs.kernel().weights();
        oneWrong[13] *= 1.01f;
        assertThatThrownBy(() -> assertClose(oneWrong, ref.weights(), "one element")).isInstanceOf(AssertionError.class);
    }
}
