package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.util.function.Function;

/** The UUIDs in a route's path, read into their id types; a malformed one is a 400 naming which id it is. */
final class PathIds {
    private PathIds() {
    }

    /**
     * @param param the path parameter ({@code id}, {@code factor_id})
     * @param what  how the message names it ({@code user id})
     */
    static <T> T of(Context ctx, String param, Function<String, T> parse, String what) {
        try {
            return parse.apply(ctx.pathParam(param));
        } catch (IllegalArgumentException e) {
            throw Rejection.validation("the " + what + " in the path must be a UUID");
        }
    }
}
