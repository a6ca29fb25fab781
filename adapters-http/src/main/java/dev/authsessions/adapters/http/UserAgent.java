package dev.authsessions.adapters.http;

import io.javalin.http.Context;

/**
 * The end user's {@code User-Agent} as it is recorded on the session. Jetty already refuses NUL and
 * most control characters in a header, but lets a tab through; whatever control character arrives
 * is dropped rather than refused, so a client with an odd header can still refresh (GoTrue stores
 * the header as it is) and PostgreSQL never sees a NUL. Characters from 0x80 up are kept: they are
 * how Jetty reads non-ASCII bytes, and PostgreSQL stores them. At most {@link #MAX_CHARACTERS} are kept
 * (real browsers send a few hundred): the rest is cut, not refused, so an odd client can still refresh,
 * while a session list of a thousand sessions cannot grow to the header limit times a thousand.
 */
final class UserAgent {
    static final int MAX_CHARACTERS = 1024;

    private UserAgent() {
    }

    static String of(Context ctx) {
        return recorded(ctx.userAgent());
    }

    /** The text as it is recorded: without control characters, cut to {@link #MAX_CHARACTERS} code points. */
    static String recorded(String text) {
        String kept = withoutControlCharacters(text);
        if (kept == null || kept.length() <= MAX_CHARACTERS || kept.codePointCount(0, kept.length()) <= MAX_CHARACTERS) {
            return kept;
        }
        return kept.substring(0, kept.offsetByCodePoints(0, MAX_CHARACTERS));
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
