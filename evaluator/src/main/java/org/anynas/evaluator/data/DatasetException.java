package org.anynas.evaluator.data;

/** A dataset that cannot be found or read; the message is one line a user can act on. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }
}
