package org.anynas.data.folder;

/** A file that is not a readable image; the message is one line saying why. */
final class BadImageException extends Exception {
    BadImageException(String reason) {
        super(reason, null, false, false);
    }
}
