package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.util.Optional;

/** The credential of an {@code Authorization: Bearer ...} header. */
final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    static Optional<String> of(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    static String required(Context ctx) {
        return of(ctx).orElseThrow(() -> new Rejection(Rejection.Kind.UNAUTHORIZED, ErrorCode.NO_AUTHORIZATION,
                "This endpoint requires a valid Bearer token"));
    }
}
