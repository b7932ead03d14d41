package org.anynas.data.folder;

import org.anynas.data.DatasetException;
import org.anynas.data.InputRule;
import org.anynas.space.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Single images and labelled listings outside a dataset, for {@code ./nas predict}: the same decoder, the same
 * preprocessing and the same layouts as a folder dataset, so a model sees a photo as it saw its training images.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** A listing of images with their class (index into {@code classNames}), as a folder dataset reads it. */
    public record Labelled(List<String> classNames, List<Path> files, List<Integer> labels, String layout, int ignored) {
    }

    /** Whether {@code file}'s extension is one of the image formats read. */
    public static boolean isImage(Path file) {
        return FolderScan.isImageName(file.getFileName().toString());
    }

    /**
     * The C×H×W bytes of one image file, decoded and preprocessed by {@code rule} to {@code shape}; a file that cannot
     * be decoded is a one-line {@link DatasetException} naming it.
     */
    public static byte[] read(Path file, Shape shape, InputRule rule) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException("no image file " + file);
        }
        try {
            Planes planes = ImageDecoder.decode(file, bytes);
            byte[] out = new byte[(int) shape.elements()];
            new Preprocessor(shape, rule.resize(), rule.backgroundRgb()).apply(planes, out, 0);
            return out;
        } catch (BadImageException e) {
            throw new DatasetException("cannot read image " + file + ": " + e.getMessage());
        }
    }

    /**
     * The images of a folder of class folders, of train/ val/ test/ folders (every part), or of a CSV, with their
     * labels; errors as for a dataset.
     */
    public static Labelled labelled(Path source) {
        FolderScan scan = FolderScan.of(source);
        return new Labelled(scan.classNames(), scan.entries().stream().map(ImageEntry::file).toList(),
                scan.entries().stream().map(ImageEntry::label).toList(), scan.layout(), scan.ignored());
    }
}
