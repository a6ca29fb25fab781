package dev.authsessions.domain;

import java.util.Objects;

/** The space-separated OAuth scopes granted to a session; at most 4096 characters, as the table's check says. */
public record Scopes(String value) {
    public static final int MAX_LENGTH = 4096;

    public Scopes {
        Objects.requireNonNull(value, "scopes");
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("scopes are longer than " + MAX_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
