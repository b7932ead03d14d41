package org.anynas.data;

/**
 * A dataset that cannot be found or read; the message is one line a user can act on. A user-input error like any
 * other, so a campaign file's parser reports it as the field's problem.
 */
public class DatasetException extends org.anynas.space.UserInputException {
    public DatasetException(String message) {
        super(message);
    }
}
