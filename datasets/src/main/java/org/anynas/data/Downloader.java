package org.anynas.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Downloads a dataset's files into its cache directory. Each file goes to a temporary name, is checked against
 * the upstream MD5, and only then moved into place, so a failed or tampered download leaves nothing behind.
 */
final class Downloader {
    private Downloader() {
    }

    static Path fetch(KnownDataset dataset, String mirror, Path target) {
        String base = mirror.endsWith("/") ? mirror : mirror + "/";
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new DatasetException("cannot create " + target + ": " + e.getMessage());
        }
        for (KnownDataset.Download d : dataset.downloads()) {
            Path dest = target.resolve(d.file());
            if (Files.isRegularFile(dest)) continue;
            Path tmp = target.resolve(d.file() + ".part");
            try {
                String md5 = copy(URI.create(base + d.file()), tmp);
                if (!md5.equalsIgnoreCase(d.md5())) {
                    throw new DatasetException(base + d.file() + ": checksum mismatch (MD5 " + md5 + ", expected " + d.md5() + ")");
                }
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | IllegalArgumentException e) {
                throw new DatasetException("cannot download " + base + d.file() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stale .part file is overwritten by the next attempt
                }
            }
            if (d.file().endsWith(".tar.gz")) extract(dest, target);
        }
        return target;
    }

    private static String copy(URI uri, Path tmp) throws IOException {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            URLConnection c = uri.toURL().openConnection();
            c.setConnectTimeout(15_000);
            c.setReadTimeout(60_000);
            try (InputStream in = new DigestInputStream(c.getInputStream(), md5); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Minimal ustar reader: regular files only, enough for CIFAR-10's archive. */
    private static void extract(Path archive, Path target) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", ""), 8);
                byte type = header[156];
                Path out = target.resolve(name).normalize();
                if (!out.startsWith(target)) throw new DatasetException(archive + ": entry " + name + " escapes the target folder");
                if (type == '0' || type == 0) {
                    Files.createDirectories(out.getParent());
                    try (OutputStream o = Files.newOutputStream(out)) {
                        copyN(in, o, size);
                    }
                } else {
                    in.skipNBytes(size);
                }
                long pad = (512 - size % 512) % 512;
                in.skipNBytes(pad);
            }
        } catch (IOException | NumberFormatException e) {
            throw new DatasetException(archive + ": cannot extract (" + e.getMessage() + ")");
        }
    }

    private static void copyN(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new IOException("archive truncated");
            out.write(buf, 0, r);
            n -= r;
        }
    }
}
