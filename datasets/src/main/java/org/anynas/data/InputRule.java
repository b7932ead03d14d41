package org.anynas.data;

import org.anynas.data.folder.FolderSpec;

import java.util.Locale;

/**
 * How any image becomes a network's input besides its size and channel count (which the input shape gives):
 * the resize rule and the background that transparent pixels (and a letterbox) are filled with. Training data
 * and {@code ./nas predict} apply the same rule; exports carry it in their metadata.
 */
public record InputRule(FolderSpec.Resize resize, int backgroundRgb) {

    /** The built-in datasets' rule (their images already have the input's size): stretch, white background. */
    public static final InputRule STRETCH = new InputRule(FolderSpec.Resize.STRETCH, FolderSpec.WHITE);

    public InputRule {
        if (resize == null) throw new IllegalArgumentException("resize is missing");
        backgroundRgb &= 0xffffff;
    }

    public String background() {
        return String.format(Locale.ROOT, "#%06x", backgroundRgb);
    }

    /** "resize=pad background=#ffffff": the ONNX metadata value and summary.txt line; {@link #parse} reads it back. */
    public String oneLine() {
        return "resize=" + FolderSpec.name(resize) + " background=" + background();
    }

    /** Reads {@link #oneLine()} back; a model exported before rules were recorded was stretched (the default). */
    public static InputRule parse(String oneLine) {
        FolderSpec.Resize resize = FolderSpec.Resize.STRETCH;
        int background = FolderSpec.WHITE;
        for (String part : oneLine.trim().split("\\s+")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) continue;
            if (kv[0].equals("resize")) resize = FolderSpec.parseResize("resize", kv[1]);
            if (kv[0].equals("background")) background = FolderSpec.parseBackground("background", kv[1]);
        }
        return new InputRule(resize, background);
    }
}
