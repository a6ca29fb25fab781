package dev.authsessions.domain;

import java.util.Objects;
import java.util.UUID;

/** Identifies an OAuth client of {@code auth.oauth_clients}. */
public record OAuthClientId(UUID value) {
    public OAuthClientId {
        Objects.requireNonNull(value, "oauth client id");
    }

    public static OAuthClientId parse(String text) {
        return new OAuthClientId(Uuids.parseStrict(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
