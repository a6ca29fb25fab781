package dev.authsessions.adapters.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads request bodies under the size limit as a {@link JsonFields} view. As in GoTrue, whose handlers
 * decode every body as JSON whatever its {@code Content-Type}, a body is JSON unless {@code /token}
 * receives a form (OAuth clients send those). An empty body reads as an empty object, so "required"
 * checks name the missing field. Parser messages are never passed on: they quote the input, which may
 * hold a token.
 */
final class RequestBodies {
    static final String FORM = "application/x-www-form-urlencoded";

    /** Room for "{}" with some white space around it. */
    private static final int MAX_EMPTY_BODY_BYTES = 64;
    private static final Pattern EMPTY_OBJECT = Pattern.compile("\\{\\s*}");

    private final int maxBytes;

    RequestBodies(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A JSON object body, whatever the {@code Content-Type} says ({@code fetch} labels a string text/plain, {@code curl -d} a form). */
    JsonFields json(Context ctx) {
        byte[] body = read(ctx);
        if (body.length == 0) {
            return new JsonFields(JsonNodeFactory.instance.objectNode());
        }
        return new JsonFields(parseJsonObject(body));
    }

    /** A form when the {@code Content-Type} says so, otherwise a JSON object ({@code /token} takes both). */
    JsonFields jsonOrForm(Context ctx) {
        byte[] body = read(ctx);
        if (body.length == 0) {
            return new JsonFields(JsonNodeFactory.instance.objectNode());
        }
        if (FORM.equals(mediaType(ctx))) {
            return new JsonFields(parseForm(body));
        }
        return new JsonFields(parseJsonObject(body));
    }

    /**
     * For a route that reads no body (a DELETE, {@code /logout}): nothing, or an empty JSON object as some
     * GoTrue clients send, and nothing else. A filter sent in the body instead of the query string must be
     * refused, not ignored: ignoring it would widen what the request deletes.
     */
    static void requireNone(Context ctx) {
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(MAX_EMPTY_BODY_BYTES + 1);
        } catch (IOException e) {
            throw Rejection.validation("The request body could not be read completely");
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (body.length > MAX_EMPTY_BODY_BYTES || !(text.isEmpty() || EMPTY_OBJECT.matcher(text).matches())) {
            throw Rejection.validation("This endpoint reads no request body; send its parameters in the query string");
        }
    }

    private byte[] read(Context ctx) {
        String declared = ctx.header("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBytes) {
                    throw HttpProblem.tooLarge(maxBytes);
                }
            } catch (NumberFormatException e) {
                throw Rejection.validation("Content-Length is not a number");
            }
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw HttpProblem.tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            // The client promised more than it sent (an early end of stream) or stalled: its request, not our failure.
            throw Rejection.validation("The request body could not be read completely");
        }
    }

    private static String mediaType(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode parseJsonObject(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Rejection.badRequest(ErrorCode.BAD_JSON, "Could not parse request body as JSON");
        } catch (NumberFormatException e) {
            // Jackson reads decimals as BigDecimal, which cannot hold an exponent such as 1e999999999999.
            throw Rejection.validation("A number in the request body is out of range");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
        if (node == null || !node.isObject()) {
            throw Rejection.validation("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static ObjectNode parseForm(byte[] body) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw Rejection.validation("Request body is not a valid form (bad percent-encoding)");
            }
            if (fields.has(name)) {
                throw Rejection.validation("Form field " + JsonFields.quoted(name) + " appears more than once");
            }
            fields.put(name, value);
        }
        return fields;
    }
}
