package dev.authsessions.application.port.in;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import java.util.List;
import java.util.Objects;

/**
 * A signed-in user's view of their own sessions ({@code GET /sessions}), newest first ({@code created_at}, then id,
 * descending), in keyset pages as the operators' listing ({@link ListUserSessionsUseCase}): a user with thousands of
 * sessions gets them a bounded page at a time, never in one answer.
 */
public interface ListOwnSessionsUseCase {
    int DEFAULT_LIMIT = ListUserSessionsUseCase.DEFAULT_LIMIT;
    int MAX_LIMIT = ListUserSessionsUseCase.MAX_LIMIT;

    /** @throws Rejection {@code validation_failed} for a limit outside 1..{@value #MAX_LIMIT} or a value that is not a cursor */
    Page listOwn(Query query);

    /** {@code cursor} is the {@link Page#nextCursor()} of the previous page, or null for the first page. */
    record Query(Caller caller, int limit, String cursor) {
        public Query {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /** {@code nextCursor} is null on the last page. */
    record Page(List<SessionDetails> sessions, String nextCursor) {
        public Page {
            sessions = List.copyOf(sessions);
        }
    }
}
