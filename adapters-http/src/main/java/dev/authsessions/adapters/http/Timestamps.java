package dev.authsessions.adapters.http;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** RFC 3339 in UTC, as every timestamp on the wire is written. */
final class Timestamps {
    private Timestamps() {
    }

    static String format(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
