package dev.authsessions.application.port.in;

import dev.authsessions.domain.UserId;
import java.util.List;
import java.util.Objects;

/**
 * An operator pages through a user's sessions, newest first. Pages are keyset pages on
 * {@code (created_at, id)}: a cursor names the last session of the previous page, so sessions
 * inserted or deleted between two requests neither repeat nor push others off a page.
 */
public interface ListUserSessionsUseCase {
    int DEFAULT_LIMIT = 100;
    int MAX_LIMIT = 1000;

    /**
     * @throws Rejection {@code validation_failed} for a limit outside 1..{@value #MAX_LIMIT} or a cursor this
     *                   service did not write; {@code user_not_found} (not found)
     */
    Page list(Query query);

    /** {@code cursor} is the {@link Page#nextCursor()} of the previous page, or null for the first page. */
    record Query(UserId userId, int limit, String cursor) {
        public Query {
            Objects.requireNonNull(userId, "user id");
        }
    }

    /** {@code nextCursor} is null on the last page. */
    record Page(List<SessionDetails> sessions, String nextCursor) {
        public Page {
            sessions = List.copyOf(sessions);
        }
    }
}
