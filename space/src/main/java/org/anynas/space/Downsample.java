package org.anynas.space;

/** How a stage halves the feature map before its blocks run. */
public enum Downsample {
    /** stride 2 in the first block's spatial convolution (and its shortcut) */
    STRIDE,
    /** 2×2 max pool, stride 2, in front of the first block */
    MAX_POOL,
    /** 2×2 average pool, stride 2, in front of the first block */
    AVG_POOL,
    /** keep the resolution */
    NONE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
