package org.anynas.dl4j;

import java.lang.reflect.Field;
import java.util.function.UnaryOperator;

/**
 * Where a DL4J layer keeps the helper it runs through (oneDNN, cuDNN): its private {@code helper} field, and the
 * {@code helperCountFail} count of the helper's exceptions, which DL4J swallows before falling back to its own
 * path. DL4J M2.1 has no setter; our kernels go in front of the helper it chose through this slot.
 *
 * @param <H> the layer type's helper interface
 */
record LayerHelperSlot<H>(Class<?> layerType, Class<H> helperType, Field helper, Field failures) {

    static <H> LayerHelperSlot<H> of(Class<?> layerType, Class<H> helperType) {
        try {
            Field helper = layerType.getDeclaredField("helper");
            Field failures = layerType.getDeclaredField("helperCountFail");
            helper.setAccessible(true);
            failures.setAccessible(true);
            return new LayerHelperSlot<>(layerType, helperType, helper, failures);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's " + layerType.getSimpleName() + " has no helper field: " + e);
        }
    }

    /**
     * Replaces the layer's helper with {@code wrap} of it, unless it has none (DL4J's own path) or it is already a
     * {@code wrapper}; true when it did.
     */
    boolean wrap(Object layer, Class<? extends H> wrapper, UnaryOperator<H> wrap) {
        Object current = get(layer);
        if (!helperType.isInstance(current) || wrapper.isInstance(current)) return false;
        set(layer, wrap.apply(helperType.cast(current)));
        return true;
    }

    Object get(Object layer) {
        try {
            return helper.get(layerType.cast(layer));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    void set(Object layer, H value) {
        try {
            helper.set(layerType.cast(layer), value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How often the helper threw and DL4J ran its own path instead (it says so only in its log). */
    int failures(Object layer) {
        try {
            return failures.getInt(layerType.cast(layer));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
