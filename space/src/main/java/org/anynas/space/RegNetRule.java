package org.anynas.space;

import java.util.ArrayList;
import java.util.List;

/**
 * The choices of a RegNet space's rule (Radosavovic et al. 2020, §4; pycls {@code generate_regnet}): total depth d,
 * initial width w_0, slope w_a and width multiplier w_m. Block j of d gets the width u_j = w_0 + w_a·j, quantized on a
 * log scale: s_j = round(log(u_j / w_0) / log(w_m)), w_j = w_0·w_m^s_j rounded to a multiple of 8; consecutive blocks
 * of one width form a stage. The space's group_widths and bottlenecks give g and the bottleneck multiplier (1 / b).
 *
 * @param depths the choices of d (blocks in all stages)
 * @param w0     the choices of w_0 (multiples of 8)
 * @param wa     the choices of w_a (> 0)
 * @param wm     the choices of w_m (> 1)
 */
public record RegNetRule(List<Integer> depths, List<Integer> w0, List<Double> wa, List<Double> wm) {

    /** Widths are quantized to multiples of this (pycls q). */
    public static final int QUANTUM = 8;

    public RegNetRule {
        depths = list("regnet.depths", depths);
        w0 = list("regnet.w0", w0);
        wa = list("regnet.wa", wa);
        wm = list("regnet.wm", wm);
        for (int d : depths) Fields.range("regnet.depths", d, 1, 64);
        for (int w : w0) {
            if (w <= 0 || w % QUANTUM != 0) throw new UserInputException("regnet.w0 " + w + " must be a positive multiple of " + QUANTUM);
        }
        for (double a : wa) if (!(a > 0)) throw new UserInputException("regnet.wa " + a + " must be positive");
        for (double m : wm) if (!(m > 1)) throw new UserInputException("regnet.wm " + m + " must be above 1");
    }

    private static <T> List<T> list(String field, List<T> values) {
        if (values == null || values.isEmpty()) throw new UserInputException(field + " must list at least one choice");
        if (values.stream().distinct().count() != values.size()) throw new UserInputException(field + " lists a choice twice");
        return List.copyOf(values);
    }

    /** One stage of the rule: {@code depth} blocks of {@code width} channels (before the group-width adjustment). */
    public record Segment(int width, int depth) {
    }

    /**
     * The stages of RegNet(d, w_0, w_a, w_m), as pycls's {@code generate_regnet} (in double precision, ties of the
     * roundings to even as numpy). Widths increase from stage to stage.
     */
    public static List<Segment> stages(int d, int w0, double wa, double wm) {
        List<Segment> out = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double u = w0 + wa * j;
            double s = Math.rint(Math.log(u / w0) / Math.log(wm));
            int w = (int) Math.rint(w0 * Math.pow(wm, s) / QUANTUM) * QUANTUM;
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.width() == w) out.set(out.size() - 1, new Segment(w, last.depth() + 1));
            else out.add(new Segment(w, 1));
        }
        return out;
    }
}
