package org.anynas.data;

import org.anynas.data.folder.FolderSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * How a folder (or CSV) of images becomes a dataset, as a campaign file's {@code images:} block, {@code ./nas
 * train} and the quickstart state it: {@code size} [H, W] or one number (empty: the images' common size, else
 * their median capped at 128), {@code resize} stretch | crop | pad, {@code channels} auto | 1 | 3, the
 * {@code background} alpha is composited on, and {@code on_bad_image} skip | fail. Built-in datasets ignore it.
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
        channels = channels == null ? "auto" : channels;
        background = background == null ? "white" : background;
        onBadImage = onBadImage == null ? "skip" : onBadImage;
        spec(Path.of("."), size, resize, channels, background, onBadImage); // validates with the folder reader's parsers
    }

    /** These options for the images at {@code source}. */
    public FolderSpec spec(Path source) {
        return spec(source, size, resize, channels, background, onBadImage);
    }

    private static FolderSpec spec(Path source, List<Integer> size, String resize, String channels, String background,
                                   String onBadImage) {
        return new FolderSpec(source, size.isEmpty() ? null : new int[]{size.get(0), size.get(1)},
                FolderSpec.parseResize("images.resize", resize), FolderSpec.parseChannels("images.channels", channels),
                FolderSpec.parseBackground("images.background", background),
                FolderSpec.parseOnBadImage("images.on_bad_image", onBadImage));
    }
}
