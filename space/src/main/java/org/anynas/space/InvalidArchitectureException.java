package org.anynas.space;

/** An architecture that cannot exist: shapes shrink below 1×1, branches disagree, a field is out of range. */
public class InvalidArchitectureException extends RuntimeException {
    public InvalidArchitectureException(String message) {
        super(message);
    }
}
