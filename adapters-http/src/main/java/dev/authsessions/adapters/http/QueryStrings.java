package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string with malformed percent-encoding before any route reads it. Javalin drops a
 * parameter whose value it cannot decode, so {@code /logout?scope=%zz} would otherwise read as no
 * scope at all, that is {@code global}: malformed input must never widen what a request does.
 */
final class QueryStrings {
    private QueryStrings() {
    }

    static void requireWellFormed(Context ctx) {
        // Javalin decodes path parameters before the handler runs and would fail on a bad escape with a 500.
        try {
            URLDecoder.decode(ctx.path().replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Rejection.validation("The path is not valid percent-encoding");
        }
        String query = ctx.queryString();
        if (query == null || query.isEmpty()) {
            return;
        }
        try {
            URLDecoder.decode(query, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Rejection.validation("The query string is not valid percent-encoding");
        }
    }
}
