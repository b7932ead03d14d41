package org.anynas.space;

/** Range checks whose messages name the offending field, shared by the architecture records. */
final class Fields {
    private Fields() {
    }

    static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new UserInputException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new UserInputException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void oddKernel(String field, int kernel) {
        range(field, kernel, 1, 11);
        if (kernel % 2 == 0) throw new UserInputException(field + " must be odd, got " + kernel);
    }

    static <T> T present(String field, T value) {
        if (value == null) throw new UserInputException(field + " is missing");
        return value;
    }
}
