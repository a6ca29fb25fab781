package dev.authsessions.domain;

import java.util.Objects;
import java.util.UUID;

/** Identifies one session; the primary key of {@code auth.sessions}. */
public record SessionId(UUID value) {
    public SessionId {
        Objects.requireNonNull(value, "session id");
    }

    /** A random (version 4) id built from 16 bytes of the caller's random source. */
    public static SessionId fromRandomBytes(byte[] sixteen) {
        return new SessionId(Uuids.version4(sixteen));
    }

    public static SessionId parse(String text) {
        return new SessionId(Uuids.parseStrict(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
