package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;

/**
 * Javalin routes a request carrying {@code X-HTTP-Method-Override} by the method that header names, whatever
 * the request line says: a {@code GET /admin/users/{id}/sessions} with {@code X-HTTP-Method-Override: DELETE}
 * would delete every session of the user, unseen by a proxy or firewall that lets reads through. The service
 * documents no such header, so a request carrying it is refused before any route runs: the method that acts
 * is always the one on the request line.
 */
final class MethodOverride {
    static final String HEADER = "X-HTTP-Method-Override";

    private MethodOverride() {
    }

    static void refuse(Context ctx) {
        if (ctx.req().getHeader(HEADER) != null) {
            throw Rejection.validation(HEADER + " is not supported: send the request with its own method");
        }
    }
}
