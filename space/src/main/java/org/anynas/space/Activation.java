package org.anynas.space;

/** Non-linearities the space can choose from; {@link #SIGMOID} is used inside SE gates only. */
public enum Activation {
    RELU, LEAKY_RELU, ELU, SILU, SIGMOID;

    @com.fasterxml.jackson.annotation.JsonValue
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
