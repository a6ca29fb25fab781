package dev.authsessions.application.port.out;

/**
 * The database refused a change because of concurrent work on the same rows (a lock not granted in
 * time, a deadlock); nothing was changed and the request may be retried.
 */
public final class StorageConflictException extends RuntimeException {
    public StorageConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
