package dev.authsessions.adapters.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the hand-written OpenAPI 3.1 description of every route, read once from the class path. */
final class OpenApiRoutes {
    static final String RESOURCE = "/dev/authsessions/adapters/http/openapi.json";

    private final byte[] document;

    OpenApiRoutes() {
        this.document = load();
    }

    static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document", e);
        }
    }

    void register(RoutesConfig routes) {
        routes.get("/openapi.json", this::document);
    }

    private void document(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=600");
        ctx.status(200);
        ctx.contentType("application/json");
        ctx.result(document);
    }
}
