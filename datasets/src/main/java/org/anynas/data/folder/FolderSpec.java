package org.anynas.data.folder;

import org.anynas.data.DatasetException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How to read a user's image folder (or CSV) and turn every image into one fixed shape.
 *
 * @param source     a folder (class subfolders, or train/ val/ test/ each holding class subfolders) or a .csv file
 * @param imageSize  null: chosen from the images (see {@link FolderReport#sizeNote()}); else {height, width}
 * @param resize     how an image of another aspect ratio reaches {@code imageSize}
 * @param channels   AUTO: 1 when every image is grey, else 3
 * @param background 0xRRGGBB that transparent pixels are composited on, and PAD's border colour; white by default
 * @param onBadImage an unreadable file is skipped and reported, or stops the run
 */
public record FolderSpec(Path source, int[] imageSize, Resize resize, Channels channels, int background,
                         OnBadImage onBadImage) {

    public static final int WHITE = 0xffffff;

    /** STRETCH ignores the aspect ratio (as Keras' image_dataset_from_directory); CROP and PAD keep it. */
    public enum Resize { STRETCH, CROP, PAD }

    public enum Channels { AUTO, ONE, THREE }

    public enum OnBadImage { SKIP, FAIL }

    public FolderSpec {
        if (source == null) throw new DatasetException("image folder: source is not set: give a folder or a .csv file");
        if (imageSize != null) {
            if (imageSize.length != 2 || imageSize[0] < 1 || imageSize[1] < 1) {
                throw new DatasetException("image_size must be two positive numbers [height, width], got "
                        + java.util.Arrays.toString(imageSize));
            }
            imageSize = imageSize.clone();
        }
        if (resize == null) resize = Resize.STRETCH;
        if (channels == null) channels = Channels.AUTO;
        if (onBadImage == null) onBadImage = OnBadImage.SKIP;
        if ((background & ~0xffffff) != 0) throw new DatasetException("background must be 0xRRGGBB, got " + background);
    }

    /** Automatic size and channels, stretch, white background, bad files skipped. */
    public static FolderSpec of(Path source) {
        return new FolderSpec(source, null, Resize.STRETCH, Channels.AUTO, WHITE, OnBadImage.SKIP);
    }

    public FolderSpec withImageSize(int height, int width) {
        return new FolderSpec(source, new int[]{height, width}, resize, channels, background, onBadImage);
    }

    public FolderSpec withResize(Resize r) {
        return new FolderSpec(source, imageSize, r, channels, background, onBadImage);
    }

    public FolderSpec withChannels(Channels c) {
        return new FolderSpec(source, imageSize, resize, c, background, onBadImage);
    }

    public FolderSpec withBackground(int rgb) {
        return new FolderSpec(source, imageSize, resize, channels, rgb, onBadImage);
    }

    public FolderSpec withOnBadImage(OnBadImage b) {
        return new FolderSpec(source, imageSize, resize, channels, background, b);
    }

    @Override
    public int[] imageSize() {
        return imageSize == null ? null : imageSize.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FolderSpec s && source.equals(s.source) && java.util.Arrays.equals(imageSize, s.imageSize)
                && resize == s.resize && channels == s.channels && background == s.background && onBadImage == s.onBadImage;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(source, java.util.Arrays.hashCode(imageSize), resize, channels, background, onBadImage);
    }

    @Override
    public String toString() {
        return "FolderSpec[" + source + ", size " + (imageSize == null ? "auto" : imageSize[0] + "×" + imageSize[1])
                + ", " + name(resize) + ", channels " + name(channels) + ", background "
                + String.format("#%06x", background) + ", " + name(onBadImage) + "]";
    }

    /** The user-facing word for an option: stretch, crop, pad, auto, 1, 3, skip, fail. */
    public static String name(Enum<?> option) {
        if (option == Channels.ONE) return "1";
        if (option == Channels.THREE) return "3";
        return option.name().toLowerCase(Locale.ROOT);
    }

    // ---- parsers for the user-facing strings; {@code key} names the setting in the error ----

    /** stretch | crop | pad */
    public static Resize parseResize(String key, String text) {
        return parse(key, text, Resize.values());
    }

    /** auto | 1 | 3 */
    public static Channels parseChannels(String key, String text) {
        return parse(key, text, Channels.values());
    }

    /** skip | fail */
    public static OnBadImage parseOnBadImage(String key, String text) {
        return parse(key, text, OnBadImage.values());
    }

    /** white | black | #rrggbb, as 0xRRGGBB */
    public static int parseBackground(String key, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("white")) return WHITE;
        if (t.equals("black")) return 0;
        if (t.matches("#[0-9a-f]{6}")) return Integer.parseInt(t.substring(1), 16);
        throw new DatasetException(key + ": '" + text + "' is not a colour: use white, black or #rrggbb");
    }

    private static <E extends Enum<E>> E parse(String key, String text, E[] values) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        StringBuilder allowed = new StringBuilder();
        for (E v : values) {
            if (name(v).equals(t)) return v;
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name(v));
        }
        throw new DatasetException(key + ": '" + text + "' is not allowed: use one of " + allowed);
    }
}
