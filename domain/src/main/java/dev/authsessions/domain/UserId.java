package dev.authsessions.domain;

import java.util.Objects;
import java.util.UUID;

/** Identifies a user of {@code auth.users}. */
public record UserId(UUID value) {
    public UserId {
        Objects.requireNonNull(value, "user id");
    }

    public static UserId parse(String text) {
        return new UserId(Uuids.parseStrict(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
