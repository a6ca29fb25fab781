package dev.authsessions.adapters.http;

import io.javalin.http.Context;

/**
 * The end user's {@code User-Agent} as it is recorded on the session. Jetty already refuses NUL and
 * most control characters in a header, but lets a tab through; whatever control character arrives
 * is dropped rather than refused, so a client with an odd header can still refresh (GoTrue stores
 * the header as it is) and PostgreSQL never sees a NUL. Characters from 0x80 up are kept: they are
 * how Jetty reads non-ASCII bytes, and PostgreSQL stores them.
 */
final class UserAgent {
    private UserAgent() {
    }

    static String of(Context ctx) {
        return withoutControlCharacters(ctx.userAgent());
    }

    static String withoutControlCharacters(String text) {
        if (text == null || text.chars().noneMatch(UserAgent::isControl)) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length());
        text.chars().filter(c -> !isControl(c)).forEach(c -> kept.append((char) c));
        return kept.toString();
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }
}
