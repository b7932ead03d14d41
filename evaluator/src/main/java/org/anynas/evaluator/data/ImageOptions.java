package org.anynas.evaluator.data;

import java.util.List;
import java.util.Locale;

/**
 * How a folder (or CSV) of images becomes a dataset, as a campaign file, {@code ./nas train} and the quickstart
 * state it: {@code size} [H, W] (empty: the common size, else the median capped at 128), {@code resize}
 * stretch | crop | pad, {@code channels} auto | 1 | 3, the {@code background} alpha is composited on, and
 * {@code on_bad_image} skip | fail. Built-in datasets ignore it.
 */
public record ImageOptions(List<Integer> size, String resize, String channels, String background, String onBadImage) {

    public static final ImageOptions DEFAULTS = new ImageOptions(List.of(), "stretch", "auto", "white", "skip");

    public ImageOptions {
        size = size == null ? List.of() : List.copyOf(size);
        if (size.size() == 1) size = List.of(size.get(0), size.get(0));
        if (size.size() > 2) throw new DatasetException("images.size must be [height, width] or one number, got " + size);
        for (int s : size) {
            if (s < 1 || s > 4096) {
                throw new DatasetException("images.size must be positive (1..4096), got " + size + ": e.g. size: [64, 64]");
            }
        }
        resize = resize == null ? "stretch" : resize;
        channels = channels == null ? "auto" : String.valueOf(channels).trim().toLowerCase(Locale.ROOT);
        background = background == null ? "white" : background;
        onBadImage = onBadImage == null ? "skip" : onBadImage.trim().toLowerCase(Locale.ROOT);
        InputRule.Resize.parse(resize, "images.resize");
        InputRule.parseBackground(background, "images.background");
        if (!List.of("auto", "1", "3").contains(channels)) {
            throw new DatasetException("images.channels must be auto, 1 or 3, got '" + channels + "'");
        }
        if (!List.of("skip", "fail").contains(onBadImage)) {
            throw new DatasetException("images.on_bad_image must be skip or fail, got '" + onBadImage + "'");
        }
    }

    /** The fixed [H, W], or null for auto. */
    public int[] fixedSize() {
        return size.isEmpty() ? null : new int[]{size.get(0), size.get(1)};
    }

    /** 0 for auto, else 1 or 3. */
    public int channelCount() {
        return channels.equals("auto") ? 0 : Integer.parseInt(channels);
    }

    public InputRule rule() {
        return new InputRule(InputRule.Resize.parse(resize, "images.resize"), InputRule.parseBackground(background, "images.background"));
    }

    public boolean failOnBadImage() {
        return onBadImage.equals("fail");
    }
}
