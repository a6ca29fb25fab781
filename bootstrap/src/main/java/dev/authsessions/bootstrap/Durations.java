package dev.authsessions.bootstrap;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as operators write them: {@code 24h}, {@code 30m}, {@code 90s}, {@code 1h30m}, {@code 500ms}, or ISO-8601 ({@code PT24H}). */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s|d)");

    private Durations() {
    }

    static Duration parse(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration");
            }
        }
        Matcher matcher = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int position = 0;
        while (matcher.find() && matcher.start() == position) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException();
            });
            position = matcher.end();
        }
        if (position != trimmed.length() || position == 0) {
            throw new IllegalArgumentException("not a duration (use e.g. 24h, 30m, 90s or ISO-8601 like PT24H)");
        }
        return total;
    }

    private static final Pattern GO_PART = Pattern.compile("(\\d*)(?:\\.(\\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");

    /**
     * Reads a duration as Go's {@code time.ParseDuration} does (GoTrue's {@code GOTRUE_SESSIONS_*} values): an optional
     * sign, then numbers with optional fractions, each with a unit (ns, us, µs, ms, s, m, h), as in {@code 1.5h},
     * {@code 300ms}, {@code 1h0m0s}; or {@code 0}. Fractions of a nanosecond are dropped, as Go drops them.
     */
    static Duration parseGo(String text) {
        String value = text.trim();
        if (value.length() > 100) {
            throw new IllegalArgumentException("not a Go duration (too long)");
        }
        boolean negative = value.startsWith("-");
        if (negative || value.startsWith("+")) {
            value = value.substring(1);
        }
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = GO_PART.matcher(value);
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        int position = 0;
        while (matcher.find() && matcher.start() == position) {
            String whole = matcher.group(1);
            String fraction = matcher.group(2) == null ? "" : matcher.group(2);
            if (whole.isEmpty() && fraction.isEmpty()) {
                break;
            }
            long unit = switch (matcher.group(3)) {
                case "ns" -> 1L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 1_000L;
            };
            nanos = nanos.add(new java.math.BigDecimal((whole.isEmpty() ? "0" : whole) + "." + fraction + "0")
                    .multiply(java.math.BigDecimal.valueOf(unit)));
            position = matcher.end();
        }
        if (position != value.length() || position == 0) {
            throw new IllegalArgumentException("not a Go duration (use e.g. 24h, 1h30m, 1.5h, 300ms)");
        }
        if (nanos.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration too large");
        }
        Duration parsed = Duration.ofNanos(nanos.longValue());
        return negative ? parsed.negated() : parsed;
    }
}
