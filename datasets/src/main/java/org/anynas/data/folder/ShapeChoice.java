package org.anynas.data.folder;

import org.anynas.space.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cached images' shape: the spec's size and channels where set, else chosen from the headers of the readable
 * images, with a line saying how. Auto size: the images' common size when they share one, else the median height
 * and the median width (the lower median when the count is even), scaled down to 128 on the longer side keeping
 * that aspect, and each side at least 8. Auto channels: 1 when every image is grey, else 3.
 */
record ShapeChoice(Shape shape, String sizeNote, String channelsNote) {

    static final int MAX_SIDE = 128;
    static final int MIN_SIDE = 8;

    static ShapeChoice of(FolderSpec spec, List<ImageHeader> headers) {
        int n = headers.size();
        int channels;
        String channelsNote;
        switch (spec.channels()) {
            case ONE -> {
                channels = 1;
                channelsNote = "1 channel (set)";
            }
            case THREE -> {
                channels = 3;
                channelsNote = "3 channels (set)";
            }
            default -> {
                long colour = headers.stream().filter(h -> !h.grey()).count();
                channels = colour == 0 ? 1 : 3;
                channelsNote = colour == 0 ? "1 channel: all " + count(n) + " images are grey"
                        : "3 channels: " + count(colour) + " of " + count(n) + " images are in colour";
            }
        }
        String how = ", resized by " + FolderSpec.name(spec.resize());
        int[] size = spec.imageSize();
        if (size != null) {
            return new ShapeChoice(Shape.of(channels, size[0], size[1]), "image size " + size[0] + "×" + size[1]
                    + " (set)" + how, channelsNote);
        }
        int[] hs = new int[n];
        int[] ws = new int[n];
        ImageHeader smallest = headers.get(0);
        ImageHeader largest = headers.get(0);
        for (int i = 0; i < n; i++) {
            ImageHeader h = headers.get(i);
            hs[i] = h.height();
            ws[i] = h.width();
            long area = (long) h.width() * h.height();
            if (area < (long) smallest.width() * smallest.height()) smallest = h;
            if (area > (long) largest.width() * largest.height()) largest = h;
        }
        Arrays.sort(hs);
        Arrays.sort(ws);
        if (hs[0] == hs[n - 1] && ws[0] == ws[n - 1]) {
            return new ShapeChoice(Shape.of(channels, hs[0], ws[0]),
                    (n == 1 ? "the one image is " : "all " + count(n) + " images are ") + hs[0] + "×" + ws[0], channelsNote);
        }
        int h = hs[(n - 1) / 2];
        int w = ws[(n - 1) / 2];
        StringBuilder note = new StringBuilder();
        int longer = Math.max(h, w);
        if (longer > MAX_SIDE) {
            h = Math.max(1, (int) Math.round((double) h * MAX_SIDE / longer));
            w = Math.max(1, (int) Math.round((double) w * MAX_SIDE / longer));
            note.append(", capped at ").append(MAX_SIDE).append(" on the longer side");
        }
        if (h < MIN_SIDE || w < MIN_SIDE) {
            h = Math.max(h, MIN_SIDE);
            w = Math.max(w, MIN_SIDE);
            note.append(", raised to at least ").append(MIN_SIDE);
        }
        String sizes = smallest.height() + "×" + smallest.width() + " … " + largest.height() + "×" + largest.width();
        return new ShapeChoice(Shape.of(channels, h, w), "image size " + h + "×" + w + ": the median of " + count(n)
                + " images (sizes " + sizes + ")" + note + how, channelsNote);
    }

    private static String count(long n) {
        return String.format(Locale.ENGLISH, "%,d", n);
    }
}
