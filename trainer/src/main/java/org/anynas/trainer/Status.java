package org.anynas.trainer;

/** How an evaluation ended. Failures are results, not crashes: the search stores them and carries on. */
public enum Status {
    OK, DIVERGED, OOM, INVALID, TIMEOUT, FAILED, INTERRUPTED;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status of(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
