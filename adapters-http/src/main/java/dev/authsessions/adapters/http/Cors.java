package dev.authsessions.adapters.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * CORS as GoTrue answers it (its {@code rs/cors} v1.11 handler, {@code internal/api/api.go}), on the paths a page
 * calls: {@code /token}, {@code /logout}, {@code /user}, {@code /sessions}, {@code /sessions/{id}},
 * {@code /.well-known/jwks.json}, and {@code /admin/…} only when configured. Operations routes and unknown paths
 * never answer browsers.
 *
 * <ul>
 * <li>A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here, 204 with no
 *     body, and goes no further. It always carries {@code Vary: Origin, Access-Control-Request-Method,
 *     Access-Control-Request-Headers}; only when the origin, the method and every requested header are allowed
 *     does it carry {@code Access-Control-Allow-Origin}, {@code -Methods} (the requested method),
 *     {@code -Headers} (the requested headers) and {@code -Credentials: true}. No {@code Access-Control-Max-Age}:
 *     GoTrue sends none.</li>
 * <li>Every other answer on those paths, errors included, carries {@code Vary: Origin}, and for an allowed
 *     origin and method {@code Access-Control-Allow-Origin}, {@code Access-Control-Expose-Headers} and
 *     {@code Access-Control-Allow-Credentials: true}.</li>
 * </ul>
 * {@code Access-Control-Allow-Origin} is {@code *} when every origin is allowed (GoTrue's default; a browser
 * accepts it for supabase-js's requests, which send no cookies) and the request's own origin otherwise.
 */
final class Cors {
    /** GoTrue's allowed methods; {@code OPTIONS} is always allowed and {@code HEAD} never. */
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * GoTrue's allowed request headers, and {@code apikey}: supabase-js sends it with every request, and GoTrue
     * lists it nowhere because on Supabase's platform the gateway in front of it answers for that header.
     */
    static final List<String> HEADERS = List.of("Accept", "Authorization", "Content-Type", "X-Client-IP", "X-Client-Info",
            "X-JWT-AUD", "x-use-cookie", ErrorResponses.API_VERSION_HEADER, "apikey");

    /**
     * GoTrue's exposed headers. supabase-js reads {@code X-Supabase-Api-Version} to know the error shape; the
     * error code is in every error body, and the {@code sb-auth-*} headers are for the operator's logs.
     */
    static final String EXPOSED = "X-Total-Count, Link, " + ErrorResponses.API_VERSION_HEADER;

    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final Set<String> CLIENT_PATHS = Set.of("/token", "/logout", "/user", "/sessions", "/.well-known/jwks.json");

    private final CorsSettings settings;
    private final Set<String> allowedHeaders = new TreeSet<>();
    private final boolean everyHeader;

    Cors(CorsSettings settings) {
        this.settings = settings;
        List<String> headers = new ArrayList<>(HEADERS);
        headers.addAll(settings.extraAllowedHeaders());
        for (String header : headers) {
            allowedHeaders.add(header.toLowerCase(Locale.ROOT));
        }
        this.everyHeader = allowedHeaders.contains("*");
    }

    /** The before-handler: answers a preflight, or adds the headers to whatever the route will answer. */
    void handle(Context ctx) {
        if (!appliesTo(ctx.path())) {
            return;
        }
        String requestedMethod = ctx.header("Access-Control-Request-Method");
        if (ctx.method().name().equals("OPTIONS") && requestedMethod != null && !requestedMethod.isEmpty()) {
            preflight(ctx, requestedMethod);
            ctx.status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.res().addHeader("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty() || !originAllowed(origin) || !methodAllowed(ctx.method().name())) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", settings.everyOrigin() ? "*" : origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED);
        ctx.header("Access-Control-Allow-Credentials", "true");
    }

    private void preflight(Context ctx, String requestedMethod) {
        ctx.res().addHeader("Vary", PREFLIGHT_VARY);
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty() || !originAllowed(origin) || !methodAllowed(requestedMethod)) {
            return;
        }
        List<String> requestedHeaders = Collections.list(ctx.req().getHeaders("Access-Control-Request-Headers"));
        String headers = String.join(",", requestedHeaders);
        if (!headersAllowed(headers)) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", settings.everyOrigin() ? "*" : origin);
        ctx.header("Access-Control-Allow-Methods", requestedMethod);
        if (!headers.isBlank()) {
            ctx.header("Access-Control-Allow-Headers", headers);
        }
        ctx.header("Access-Control-Allow-Credentials", "true");
    }

    /** The client paths, and the admin ones when configured; a trailing slash is ignored, as the router does. */
    boolean appliesTo(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (CLIENT_PATHS.contains(p)) {
            return true;
        }
        if (p.startsWith("/sessions/")) {
            String id = p.substring("/sessions/".length());
            return !id.isEmpty() && id.indexOf('/') < 0;
        }
        return settings.adminRoutes() && (p.equals("/admin") || p.startsWith("/admin/"));
    }

    boolean originAllowed(String origin) {
        if (settings.everyOrigin()) {
            return true;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        for (String allowed : settings.allowedOrigins()) {
            int star = allowed.indexOf('*');
            if (star < 0) {
                if (allowed.equals(lower)) {
                    return true;
                }
            } else {
                String prefix = allowed.substring(0, star);
                String suffix = allowed.substring(star + 1);
                if (lower.length() >= prefix.length() + suffix.length() && lower.startsWith(prefix) && lower.endsWith(suffix)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Case-sensitive, as rs/cors: {@code delete} is not {@code DELETE}. */
    private static boolean methodAllowed(String method) {
        return method.equals("OPTIONS") || METHODS.contains(method);
    }

    /**
     * Every comma-separated name must be allowed. Browsers send the names lower-cased, sorted, without spaces;
     * rs/cors accepts only that spelling, this also accepts spaces and any case, which no browser sends.
     */
    private boolean headersAllowed(String csv) {
        if (everyHeader || csv.isBlank()) {
            return true;
        }
        for (String name : csv.split(",", -1)) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty() || !allowedHeaders.contains(trimmed)) {
                return false;
            }
        }
        return true;
    }
}
