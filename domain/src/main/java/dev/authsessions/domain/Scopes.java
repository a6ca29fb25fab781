package dev.authsessions.domain;

import java.util.Objects;

/**
 * The space-separated OAuth scopes granted to a session; at most 4096 characters, as the table's
 * check counts them (code points), and never a NUL character.
 */
public record Scopes(String value) {
    public static final int MAX_LENGTH = 4096;

    /** @throws InvalidScopesException when the value breaks an invariant */
    public Scopes {
        Objects.requireNonNull(value, "scopes");
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new InvalidScopesException("scopes must be at most " + MAX_LENGTH + " characters");
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidScopesException("scopes must not contain a NUL character");
        }
    }

    /**
     * The scopes of a request field; null (the field was absent) gives null.
     *
     * @throws InvalidScopesException when the text cannot be granted as scopes
     */
    public static Scopes parse(String text) {
        return text == null ? null : new Scopes(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
