package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;

/**
 * The {@code limit} and {@code cursor} query parameters of the session listings ({@code GET /sessions} and
 * {@code GET /admin/users/{id}/sessions}); their ranges and the cursor's meaning are the use cases' to check.
 */
final class PageParameters {
    private PageParameters() {
    }

    /**
     * The {@code limit}, or the default when absent ({@link QueryParameters} refuses an empty or repeated one);
     * a number out of int range is clamped so the use case refuses it.
     */
    static int limit(QueryParameters query) {
        String text = query.get("limit").orElse(null);
        if (text == null) {
            return ListUserSessionsUseCase.DEFAULT_LIMIT;
        }
        if (!text.matches("[+-]?[0-9]{1,10}")) {
            throw Rejection.validation("limit must be an integer between 1 and " + ListUserSessionsUseCase.MAX_LIMIT);
        }
        long value = Long.parseLong(text);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** The {@code cursor}, or null for the first page when absent. */
    static String cursor(QueryParameters query) {
        return query.get("cursor").orElse(null);
    }
}
