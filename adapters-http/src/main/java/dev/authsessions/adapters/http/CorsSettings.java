package dev.authsessions.adapters.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which browser pages may call the service ({@link Cors}): the allowed origins ({@code *} for every origin,
 * GoTrue's default; or exact origins such as {@code https://app.example.com}, each with at most one
 * {@code *} standing for any characters, as in {@code https://*.example.com}), request headers a page may
 * send beyond the built-in list (GoTrue's {@code GOTRUE_CORS_ALLOWED_HEADERS}; {@code *} allows any), and
 * whether the admin routes answer browsers too (never by default).
 */
public record CorsSettings(List<String> allowedOrigins, List<String> extraAllowedHeaders, boolean adminRoutes) {
    /** Every origin: what GoTrue does, since it never sets a list. */
    public static final List<String> EVERY_ORIGIN = List.of("*");

    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^\\s/?#@]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    public CorsSettings {
        allowedOrigins = origins(allowedOrigins);
        extraAllowedHeaders = headers(extraAllowedHeaders);
    }

    /** GoTrue's behaviour: every origin, the built-in headers only, no admin routes. */
    public static CorsSettings defaults() {
        return new CorsSettings(EVERY_ORIGIN, List.of(), false);
    }

    /**
     * Checks a list of allowed origins and returns it in lower case (origins compare without regard to case).
     * A trailing slash, a path or a second wildcard could never match what a browser sends, so they are refused.
     */
    public static List<String> origins(List<String> origins) {
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("list at least one origin, or * for every origin");
        }
        Set<String> checked = new LinkedHashSet<>();
        for (String origin : origins) {
            String lower = origin == null ? "" : origin.trim().toLowerCase(Locale.ROOT);
            if (lower.equals("*")) {
                if (origins.size() > 1) {
                    throw new IllegalArgumentException("* allows every origin; list it alone");
                }
            } else if (!ORIGIN.matcher(lower).matches()) {
                throw new IllegalArgumentException("'" + origin + "' is not an origin like https://app.example.com "
                        + "(scheme and host, an optional port, no path or trailing slash)");
            } else if (lower.indexOf('*') != lower.lastIndexOf('*')) {
                throw new IllegalArgumentException("'" + origin + "' has more than one *");
            }
            checked.add(lower);
        }
        return List.copyOf(checked);
    }

    /** Checks a list of extra request header names ({@code *} for any); names keep their spelling. */
    public static List<String> headers(List<String> headers) {
        List<String> checked = new ArrayList<>();
        for (String header : headers) {
            String name = header == null ? "" : header.trim();
            if (!HEADER_NAME.matcher(name).matches() || (name.contains("*") && !name.equals("*"))) {
                throw new IllegalArgumentException("'" + header + "' is not a header name");
            }
            checked.add(name);
        }
        return List.copyOf(checked);
    }

    /** Whether every origin is allowed. */
    boolean everyOrigin() {
        return allowedOrigins.equals(EVERY_ORIGIN);
    }
}
