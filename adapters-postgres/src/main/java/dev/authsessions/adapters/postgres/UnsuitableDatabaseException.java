package dev.authsessions.adapters.postgres;

/**
 * The database cannot be used as it is (GoTrue's schema too old, a role that row-level security filters...):
 * the start is refused. The message is one line that says what is missing, fit for an operator's console.
 */
public final class UnsuitableDatabaseException extends RuntimeException {

    public UnsuitableDatabaseException(String message) {
        super(message);
    }
}
