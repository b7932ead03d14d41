package org.anynas.space;

/**
 * Something the user gave is wrong or missing: a bad file, an out-of-range value, absent data. The command line
 * prints its message as one line (exit 2); every other exception is an internal error. It extends
 * {@link IllegalArgumentException} so that code which catches that for validation keeps working.
 */
public class UserInputException extends IllegalArgumentException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
