package org.anynas.campaign;

import java.util.Locale;

/**
 * Which trainer a campaign uses: DL4J on the CPU, PyTorch (CUDA or CPU), DL4J on ND4J's CUDA backend (GPUs up
 * to compute capability 8.x, built with -Pcuda), or auto (torch on CUDA when it can, else DL4J on the CPU).
 */
public enum Backend {
    AUTO, DL4J, TORCH, DL4J_CUDA;

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Backend parse(String value) {
        for (Backend b : values()) if (b.key().equals(value.strip().toLowerCase(Locale.ROOT))) return b;
        throw new org.anynas.space.UserInputException("backend must be auto, dl4j, torch or dl4j-cuda, got '" + value + "'");
    }
}
