package org.anynas.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Uniformly random genotypes of a space at one input shape, sorted into valid within budget, invalid (shapes) and
 * over budget, with the MACs of the valid graphs. Feeds bench/results/space-input-sizes.md and InputSizesTest.
 */
record InputSizeSurvey(String space, Shape input, int draws, int fit, int invalid, int overParams, int overMacs,
                       long macsP50, long macsP90, long macsMax, Budget budget, String firstInvalid) {

    static final List<Shape> SHAPES = shapes();

    private static List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        int[][] sizes = {{8, 8}, {12, 12}, {16, 16}, {28, 28}, {32, 32}, {48, 48}, {64, 64}, {96, 96}, {128, 128},
                {32, 64}, {96, 48}, {12, 20}};
        for (int c : new int[]{1, 3}) for (int[] hw : sizes) out.add(Shape.of(c, hw[0], hw[1]));
        return List.copyOf(out);
    }

    static InputSizeSurvey of(String name, Shape input, int draws, long seed, Budget budget) {
        Genome layout = DesignSpace.load(name).genome(input, 10);
        Sampler sampler = Sampler.of(layout);
        Random random = new Random(seed);
        int fit = 0, invalid = 0, overParams = 0, overMacs = 0;
        String firstInvalid = null;
        long[] macs = new long[draws];
        int graphs = 0;
        for (int i = 0; i < draws; i++) {
            OpGraph g;
            try {
                g = layout.decode(sampler.randomGenes(random)).graph();
            } catch (InvalidArchitectureException e) {
                invalid++;
                if (firstInvalid == null) firstInvalid = e.getMessage();
                continue;
            }
            macs[graphs++] = g.macs();
            if (budget.maxParams() > 0 && g.params() > budget.maxParams()) overParams++;
            else if (budget.maxMacs() > 0 && g.macs() > budget.maxMacs()) overMacs++;
            else fit++;
        }
        long[] m = Arrays.copyOf(macs, graphs);
        Arrays.sort(m);
        return new InputSizeSurvey(name, input, draws, fit, invalid, overParams, overMacs,
                pct(m, 0.5), pct(m, 0.9), m.length == 0 ? 0 : m[m.length - 1], budget, firstInvalid);
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    double fitShare() {
        return (double) fit / draws;
    }

    static String header() {
        return "|space|input C×H×W|within budget|invalid|over params|over MACs|MACs p50|MACs p90|MACs max|MAC budget|\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    String row() {
        return String.format(Locale.ROOT, "|%s|%d×%d×%d|%.1f %%|%.1f %%|%.1f %%|%.1f %%|%s|%s|%s|%s|%n", space,
                input.channels(), input.height(), input.width(), 100.0 * fit / draws, 100.0 * invalid / draws,
                100.0 * overParams / draws, 100.0 * overMacs / draws, GraphTable.human(macsP50), GraphTable.human(macsP90),
                GraphTable.human(macsMax), budget.maxMacs() == 0 ? "none" : GraphTable.human(budget.maxMacs()));
    }
}
