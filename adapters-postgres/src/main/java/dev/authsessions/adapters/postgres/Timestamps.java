package dev.authsessions.adapters.postgres;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Conversions between {@link Instant} and what the driver reads and writes: {@code timestamptz}
 * as {@link OffsetDateTime}, and {@code timestamp without time zone} as a {@link LocalDateTime}
 * that is always UTC, whatever the JVM's or the database session's time zone.
 */
final class Timestamps {
    private Timestamps() {
    }

    static OffsetDateTime toTimestamptz(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant fromTimestamptz(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    static LocalDateTime toUtcTimestamp(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant fromUtcTimestamp(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
