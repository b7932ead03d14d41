package org.anynas.data.folder;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/** Reads one image file: its header cheaply, or its pixels as oriented planes. Safe to call from many threads. */
final class ImageDecoder {
    /** Larger images are refused before decoding: one such file would exhaust the heap. */
    static final long MAX_PIXELS = 100_000_000L;
    /** Files up to this size are read whole: one read call beats a buffered stream for small images. */
    private static final long SMALL_FILE = 1 << 20;

    private ImageDecoder() {
    }

    static ImageHeader header(Path file, long bytes) throws BadImageException {
        return read(file, bytes, false).header;
    }

    static Planes decode(Path file, long bytes) throws BadImageException {
        return read(file, bytes, true).planes;
    }

    private record Result(ImageHeader header, Planes planes) {
    }

    private static Result read(Path file, long bytes, boolean pixels) throws BadImageException {
        String name = file.getFileName().toString();
        ImageReader reader = null;
        boolean failed = true;
        try (ImageInputStream in = open(file, bytes)) {
            reader = ImageReaders.readerFor(in, name);
            if (reader == null) throw new BadImageException("not an image any installed decoder recognises");
            int orientation = 1;
            if (ImageReaders.isJpeg(reader)) {
                orientation = ExifOrientation.ofJpeg(in);
                reader.setInput(in, false, true); // reading EXIF moved the stream: start the reader afresh
            }
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w < 1 || h < 1) throw new BadImageException("has no pixels (" + w + "×" + h + ")");
            if ((long) w * h > MAX_PIXELS) {
                throw new BadImageException(w + "×" + h + " is over the " + MAX_PIXELS / 1_000_000 + "-megapixel limit");
            }
            Result r;
            if (pixels) {
                BufferedImage img = reader.read(0, reader.getDefaultReadParam());
                r = new Result(null, Planes.of(img).oriented(orientation));
            } else {
                boolean swap = ExifOrientation.swapsAxes(orientation);
                r = new Result(new ImageHeader(swap ? h : w, swap ? w : h, grey(reader)), null);
            }
            failed = false;
            return r;
        } catch (BadImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadImageException(reason(e));
        } catch (OutOfMemoryError e) {
            throw new BadImageException("too large to decode in this heap");
        } finally {
            if (reader != null) ImageReaders.release(reader, failed);
        }
    }

    private static ImageInputStream open(Path file, long bytes) throws IOException {
        if (bytes <= SMALL_FILE) return new ByteArrayImageInputStream(Files.readAllBytes(file));
        return new BufferedFileImageInputStream(file.toFile());
    }

    private static boolean grey(ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw == null) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            raw = types.hasNext() ? types.next() : null;
        }
        return raw != null && Planes.isGrey(raw.getColorModel());
    }

    /** The exception as one short line: its message, and its cause's when that says more. */
    static String reason(Throwable e) {
        String msg = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(msg)) {
            msg = (msg == null ? "" : msg + ": ") + cause.getMessage();
        }
        if (msg == null || msg.isBlank()) msg = e.getClass().getSimpleName();
        msg = msg.replaceAll("\\s+", " ").trim();
        if (e instanceof java.io.EOFException) msg = "truncated (" + msg + ")";
        return "cannot decode: " + (msg.length() > 160 ? msg.substring(0, 157) + "..." : msg);
    }
}
