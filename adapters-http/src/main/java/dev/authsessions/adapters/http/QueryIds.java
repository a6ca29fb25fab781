package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.util.function.Function;

/** Optional ids in a query string ({@code ?except=}), read into their id types; a malformed one is a 400 naming it. */
final class QueryIds {
    private QueryIds() {
    }

    /** The query parameter {@code name}, or null when it is absent or empty. */
    static <T> T optional(Context ctx, String name, Function<String, T> parse) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw Rejection.validation(name + " must be a UUID");
        }
    }
}
