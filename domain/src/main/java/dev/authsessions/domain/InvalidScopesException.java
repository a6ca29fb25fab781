package dev.authsessions.domain;

/**
 * Scopes that cannot be granted: longer than {@link Scopes#MAX_LENGTH} characters or containing a
 * NUL character, which PostgreSQL cannot store. Adapters map it to {@code validation_failed}.
 */
public final class InvalidScopesException extends IllegalArgumentException {
    public InvalidScopesException(String message) {
        super(message);
    }
}
