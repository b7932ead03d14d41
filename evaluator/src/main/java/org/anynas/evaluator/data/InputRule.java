package org.anynas.evaluator.data;

import java.util.Locale;

/**
 * How any image becomes a network's input besides its size and channel count (which the input shape gives):
 * the resize rule and the background that transparent pixels are composited on. Training data and
 * {@code ./nas predict} apply the same rule; exports carry it in their metadata.
 */
public record InputRule(Resize resize, int backgroundRgb) {

    /** stretch: to the input's height and width; crop: centre crop to its aspect, then scale; pad: letterbox. */
    public enum Resize {
        STRETCH, CROP, PAD;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Resize parse(String key, String field) {
            for (Resize r : values()) if (r.key().equals(key.trim().toLowerCase(Locale.ROOT))) return r;
            throw new DatasetException(field + " must be stretch, crop or pad, got '" + key + "'");
        }
    }

    /** The built-in datasets' rule (their images already have the input's size): stretch, white background. */
    public static final InputRule STRETCH = new InputRule(Resize.STRETCH, 0xffffff);

    public InputRule {
        if (resize == null) throw new IllegalArgumentException("resize is missing");
        backgroundRgb &= 0xffffff;
    }

    /** white, black or #rrggbb. */
    public static int parseBackground(String text, String field) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("white")) return 0xffffff;
        if (t.equals("black")) return 0;
        if (t.matches("#[0-9a-f]{6}")) return Integer.parseInt(t.substring(1), 16);
        throw new DatasetException(field + " must be white, black or #rrggbb, got '" + text + "'");
    }

    public String background() {
        return String.format(Locale.ROOT, "#%06x", backgroundRgb);
    }

    /** "resize=pad background=#ffffff": the ONNX metadata value and summary.txt line; {@link #parse} reads it back. */
    public String oneLine() {
        return "resize=" + resize.key() + " background=" + background();
    }

    public static InputRule parse(String oneLine) {
        Resize resize = Resize.STRETCH;
        int background = 0xffffff;
        for (String part : oneLine.trim().split("\\s+")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) continue;
            if (kv[0].equals("resize")) resize = Resize.parse(kv[1], "resize");
            if (kv[0].equals("background")) background = parseBackground(kv[1], "background");
        }
        return new InputRule(resize, background);
    }
}
