package dev.authsessions.application.port.out;

/**
 * The database cannot be reached right now, or did not answer in time ({@link #timedOut()}); the request
 * may be retried later.
 */
public final class StorageUnavailableException extends RuntimeException {
    private final boolean timedOut;

    public StorageUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StorageUnavailableException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** The database was reached but a statement ran out of time (as opposed to: no connection at all). */
    public boolean timedOut() {
        return timedOut;
    }
}
