package org.anynas.search;

import java.util.Locale;

/** Which trainer a campaign uses: DL4J on the CPU, PyTorch (CUDA or CPU), or auto (torch on CUDA when it can). */
public enum Backend {
    AUTO, DL4J, TORCH;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Backend parse(String value) {
        for (Backend b : values()) if (b.key().equals(value.strip().toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("backend must be auto, dl4j or torch, got '" + value + "'");
    }
}
