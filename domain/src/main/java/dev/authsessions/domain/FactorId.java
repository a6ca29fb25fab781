package dev.authsessions.domain;

import java.util.Objects;
import java.util.UUID;

/** Identifies the MFA factor a session was stepped up with. */
public record FactorId(UUID value) {
    public FactorId {
        Objects.requireNonNull(value, "factor id");
    }

    public static FactorId parse(String text) {
        return new FactorId(Uuids.parseStrict(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
