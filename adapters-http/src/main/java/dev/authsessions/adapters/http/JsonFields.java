package dev.authsessions.adapters.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsessions.application.port.in.Change;
import dev.authsessions.application.port.in.Rejection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, hand-checked access to the fields of a request body, so every wrong value gets a
 * {@code validation_failed} naming the field. A field set to {@code null} counts as absent except
 * for {@link Change}s, where null means "clear it". Text never contains NUL (PostgreSQL refuses it).
 */
final class JsonFields {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Instant EARLIEST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** Levels of objects and arrays a metadata object may have, itself included: far below any parser's limit. */
    static final int MAX_METADATA_DEPTH = 64;

    private final ObjectNode node;

    JsonFields(ObjectNode node) {
        this.node = node;
    }

    /**
     * Refuses a field that is not one of {@code names}, for a route that changes something: a misspelt
     * {@code banned_untill} or {@code not_afer} would otherwise be ignored and the write would do less, or
     * more, than the caller asked for.
     *
     * @return this, to read the fields from
     */
    JsonFields only(String... names) {
        List<String> known = List.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String hint = known.stream().filter(k -> k.equalsIgnoreCase(name)).findFirst()
                        .map(k -> " (names are case-sensitive: " + k + ")").orElse("");
                throw Rejection.validation("Unknown field " + quoted(name) + hint + " in the request body: this endpoint reads "
                        + (known.isEmpty() ? "no fields" : "only " + String.join(", ", known)));
            }
        }
        return this;
    }

    /** The field's text; absent or null is empty. */
    Optional<String> string(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(name, value, Integer.MAX_VALUE));
    }

    String requiredString(String name) {
        return string(name).filter(s -> !s.isEmpty()).orElseThrow(() -> Rejection.validation(name + " is required"));
    }

    /** Text of at most {@code maxLength} characters (code points). */
    Optional<String> string(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(text(name, value, maxLength));
    }

    Change<String> stringChange(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Change.absent();
        }
        return Change.to(value.isNull() ? null : text(name, value, maxLength));
    }

    Change<Boolean> booleanChange(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Change.absent();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        if (!value.isBoolean()) {
            throw Rejection.validation(name + " must be true or false");
        }
        return Change.to(value.booleanValue());
    }

    /**
     * A JSON object that takes at most {@code maxBytes} in an access token, as {@link AccessTokenLimits#tokenBytes}
     * measures it (compact UTF-8, numbers written out in full).
     */
    Change<Map<String, Object>> objectChange(String name, int maxBytes) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Change.absent();
        }
        if (value.isNull()) {
            return Change.to(null);
        }
        if (!value.isObject()) {
            throw Rejection.validation(name + " must be a JSON object");
        }
        checkStorable(name, value, 1);
        if (AccessTokenLimits.tokenBytes(value) > maxBytes) {
            throw Rejection.validation(name + " must be at most " + maxBytes
                    + " bytes as compact JSON (UTF-8, numbers written out in full)");
        }
        return Change.to(Json.MAPPER.convertValue(value, MAP));
    }

    Change<Instant> instantChange(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Change.absent();
        }
        return Change.to(value.isNull() ? null : instant(name, value));
    }

    Optional<Instant> instant(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(instant(name, value));
    }

    /** A canonical UUID, read into its id type by {@code parse}. */
    <T> Optional<T> uuid(String name, Function<String, T> parse) {
        return string(name).map(text -> {
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw Rejection.validation(name + " must be a UUID");
            }
        });
    }

    <T> T requiredUuid(String name, Function<String, T> parse) {
        return uuid(name, parse).orElseThrow(() -> Rejection.validation(name + " is required"));
    }

    /** One of an enum's wire values; {@code allowed} lists them for the message. */
    <E> Optional<E> oneOf(String name, Function<String, Optional<E>> fromValue, String allowed) {
        return string(name).map(text -> fromValue.apply(text)
                .orElseThrow(() -> Rejection.validation(name + " must be one of: " + allowed)));
    }

    private static String text(String name, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            throw Rejection.validation(name + " must be a string");
        }
        String text = value.textValue();
        checkCharacters(name, text);
        if (text.length() > maxLength && text.codePointCount(0, text.length()) > maxLength) {
            throw Rejection.validation(name + " must be at most " + maxLength + " characters");
        }
        return text;
    }

    private static Instant instant(String name, JsonNode value) {
        if (!value.isTextual()) {
            throw Rejection.validation(name + " must be an RFC 3339 date-time string such as 2024-01-01T00:00:00Z");
        }
        try {
            // PostgreSQL keeps microseconds; cut here, so what is checked, stored and answered is one instant. The
            // range is checked in UTC, where it is kept: 9999-12-31T23:00:00-05:00 is already in the year 10000.
            Instant instant = OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().truncatedTo(ChronoUnit.MICROS);
            if (instant.isBefore(EARLIEST_INSTANT) || instant.isAfter(LATEST_INSTANT)) {
                throw Rejection.validation(name + " must be between the years 0001 and 9999 (UTC)");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw Rejection.validation(name + " must be an RFC 3339 date-time string such as 2024-01-01T00:00:00Z");
        }
    }

    /**
     * Text PostgreSQL or a JSON reader cannot take back as it was sent: NUL (PostgreSQL refuses it) and a
     * surrogate without its pair (written out as {@code ?} in UTF-8, so it would read back changed).
     */
    private static void checkCharacters(String name, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw Rejection.validation(name + " must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Rejection.validation(name + " must not contain an unpaired UTF-16 surrogate (\\ud800-\\udfff)");
            }
        }
    }

    /**
     * What the service cannot keep exactly or hand on safely: NUL in text or keys (PostgreSQL's jsonb
     * refuses it); numbers a double cannot hold, beyond its range or so small they would read as 0
     * (GoTrue, and every client that reads the access token, reads numbers as doubles); nesting deeper
     * than {@link #MAX_METADATA_DEPTH}. Every other number is kept at its exact value, however many digits it has.
     */
    private static void checkStorable(String name, JsonNode value, int depth) {
        if (value.isContainerNode() && depth > MAX_METADATA_DEPTH) {
            throw Rejection.validation(name + " must not be nested more than " + MAX_METADATA_DEPTH + " levels deep");
        }
        if (value.isTextual()) {
            checkCharacters(name, value.textValue());
        }
        if (value.isNumber() && !fitsADouble(value)) {
            throw Rejection.validation(name + " contains a number that is out of range");
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                checkCharacters(name, entry.getKey());
                checkStorable(name, entry.getValue(), depth + 1);
            }
        } else if (value.isArray()) {
            for (JsonNode element : value) {
                checkStorable(name, element, depth + 1);
            }
        }
    }

    private static boolean fitsADouble(JsonNode number) {
        double approximation = number.doubleValue();
        return Double.isFinite(approximation) && (approximation != 0 || number.decimalValue().signum() == 0);
    }

    /** A client-supplied name, safe to put in a message. */
    static String quoted(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "?") + "\"";
    }
}
