package org.anynas.spark;

import org.anynas.data.Dataset;
import org.anynas.data.ImageSet;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of the data a search trains and validates on (the split included): the driver and every
 * executor compute it, and a difference stops the campaign, because scores from different data do not compare.
 */
final class DatasetChecksum {
    private DatasetChecksum() {
    }

    static String of(Dataset d) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ImageSet s : new ImageSet[]{d.train(), d.validation()}) {
                byte[] image = new byte[s.imageBytes()];
                for (int i = 0; i < s.size(); i++) { // image by image: a folder's images may be memory-mapped
                    s.copyImage(i, image, 0);
                    sha.update(image);
                }
                sha.update(s.labels());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
