package org.anynas.space;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a design space fits the dataset's input size: the one place this rule lives. Spaces and their budgets are
 * written for inputs of 28–45 px on the shorter side (MNIST, CIFAR-10), where they are used exactly as written, so
 * every result at those sizes stays what it was. Outside that range the space adapts:
 * <ul>
 *   <li>an input of 46 px or more is reduced in the stem: the stem's stride is multiplied by 2^k, k = round(log2(side
 *   / 32)), at most stride 4, so the stages see maps of about 23–45 px, as at the reference size (128 px: ×4);</li>
 *   <li>a stage does not downsample a map whose shorter side is under {@value #MIN_SIDE_TO_HALVE} px (its downsample
 *   becomes none), so an 8 px input never shrinks to a 0-size map and no map goes below 2 px;</li>
 *   <li>the space's max_macs, stated for a {@value #REFERENCE}×{@value #REFERENCE} input, is multiplied by the area
 *   the stages see over the reference area when that is larger (a 32×64 input: ×2); never below ×1. Parameters do
 *   not grow with the input (the head pools globally), so max_params is never scaled.</li>
 * </ul>
 *
 * @param reduction the stem stride multiplier (1 at native sizes)
 * @param adapted   whether the input is outside the native range, so stages keep maps under the minimum
 * @param macsScale the factor on the space's max_macs (1 at native sizes and below)
 */
public record InputFit(Shape input, int reduction, boolean adapted, double macsScale) {

    /** The input side (px) budgets are stated for. */
    public static final int REFERENCE = 32;
    /** The shorter sides the spaces are written for: used as written. */
    public static final int NATIVE_MIN = 28;
    public static final int NATIVE_MAX = 45;
    /** Outside the native range, maps under this many px (shorter side) are not downsampled further. */
    public static final int MIN_SIDE_TO_HALVE = 4;
    /** {@link Stem}'s largest stride. */
    static final int MAX_STEM_STRIDE = 4;

    /** The fit of a space whose stem may stride by {@code stemStrides} to {@code input}. */
    public static InputFit of(Shape input, List<Integer> stemStrides) {
        int side = Math.min(input.height(), input.width());
        boolean adapted = side < NATIVE_MIN || side > NATIVE_MAX;
        int k = side > NATIVE_MAX ? (int) Math.round(Math.log(side / (double) REFERENCE) / Math.log(2)) : 0;
        int reduction = 1 << Math.max(0, k);
        // the smallest stem stride gets the least reduction (the cap): the budget must hold for it
        int least = Collections.min(stemStrides);
        double actual = Math.min(MAX_STEM_STRIDE, Math.max(least, least * reduction)) / (double) least;
        double area = (input.height() / actual) * (input.width() / actual) / (REFERENCE * REFERENCE);
        return new InputFit(input, reduction, adapted, Math.max(1.0, area));
    }

    /** The stem stride a stem-stride gene gets at this input. */
    public int stemStride(int gene) {
        return Math.max(gene, Math.min(MAX_STEM_STRIDE, gene * reduction));
    }

    /** Whether a stage may downsample a map of {@code height}×{@code width}. */
    public boolean mayHalve(int height, int width) {
        return !adapted || Math.min(height, width) >= MIN_SIDE_TO_HALVE;
    }

    /** The space's stated budget for this input: max_macs × {@link #macsScale}, max_params as stated. */
    public Budget budget(Budget stated) {
        if (macsScale == 1.0 || stated.maxMacs() == 0) return stated;
        return Budget.of(stated.maxParams(), Math.round(stated.maxMacs() * macsScale));
    }

    /** One line on how the space fits this input, for {@code space describe} and rejection messages. */
    public String describe() {
        String size = input.height() + "×" + input.width();
        if (!adapted) {
            return size + " is a native size (" + NATIVE_MIN + "–" + NATIVE_MAX + " px): the space as written"
                    + (macsScale > 1 ? String.format(Locale.ROOT, ", max_macs ×%.2f for the area over %d×%d",
                    macsScale, REFERENCE, REFERENCE) : "");
        }
        StringBuilder sb = new StringBuilder(size).append(" is outside the native ").append(NATIVE_MIN).append('–')
                .append(NATIVE_MAX).append(" px: ");
        if (reduction > 1) sb.append("stem stride ×").append(reduction).append(" (at most ").append(MAX_STEM_STRIDE).append("), ");
        sb.append("stages keep maps under ").append(MIN_SIDE_TO_HALVE).append(" px");
        if (macsScale > 1) sb.append(String.format(Locale.ROOT, ", max_macs ×%.2f", macsScale));
        return sb.toString();
    }

    /** Map side after a stem conv of {@code stride} (odd kernel, padding kernel / 2). */
    static int afterStem(int side, int stride) {
        return (side - 1) / stride + 1;
    }

    /** Map side after a stage's downsampling, as {@link Architecture#graph()} lowers it. */
    static int afterStage(int side, Downsample d, BlockType block) {
        return switch (d) {
            case NONE -> side;
            // a strided conv (odd kernel, padding kernel / 2) rounds up; the dense block's transition pools
            case STRIDE -> block.downsamplesItself() ? side / 2 : (side - 1) / 2 + 1;
            case MAX_POOL, AVG_POOL -> side / 2;
        };
    }
}
