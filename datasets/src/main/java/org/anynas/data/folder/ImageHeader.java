package org.anynas.data.folder;

/** An image's size as shown (after EXIF orientation) and whether it has no colour, read without decoding pixels. */
record ImageHeader(int width, int height, boolean grey) {
}
