package dev.authsessions.application.port.out;

/** The database cannot be reached right now; the request may be retried later. */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
