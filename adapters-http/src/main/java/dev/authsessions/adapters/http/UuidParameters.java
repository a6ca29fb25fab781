package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.util.function.Function;

/** Ids in paths and query strings, read into their id types; anything but a canonical UUID is {@code validation_failed}. */
final class UuidParameters {
    private UuidParameters() {
    }

    /** The path parameter {@code name}, described in the message as {@code what} ("the session id"). */
    static <T> T path(Context ctx, String name, String what, Function<String, T> parse) {
        return parse(ctx.pathParam(name), what + " in the path", parse);
    }

    /** The query parameter {@code name}, or null when it is absent or empty. */
    static <T> T optionalQuery(Context ctx, String name, Function<String, T> parse) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : parse(value, name, parse);
    }

    private static <T> T parse(String value, String what, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw Rejection.validation(what + " must be a UUID");
        }
    }
}
