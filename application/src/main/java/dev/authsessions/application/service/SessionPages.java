package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.UserId;
import java.util.List;

/**
 * Keyset pages of one user's sessions, shared by the operators' and the user's own listing: the same limits, the
 * same cursor, the same refusals. Reads one row more than asked to know whether another page follows.
 */
final class SessionPages {
    private final SessionQueries queries;

    SessionPages(SessionQueries queries) {
        this.queries = queries;
    }

    /** A page and the cursor of the next one (null on the last page). */
    record Slice(List<SessionDetails> sessions, String nextCursor) {
    }

    /** The position {@code cursor} names (null for the first page); refuses a bad limit or cursor before any read. */
    static SessionCursor checked(int limit, String cursor) {
        if (limit < 1 || limit > ListUserSessionsUseCase.MAX_LIMIT) {
            throw Rejection.validation("limit must be between 1 and " + ListUserSessionsUseCase.MAX_LIMIT);
        }
        if (cursor == null) {
            return null;
        }
        return SessionCursor.decode(cursor).orElseThrow(() -> Rejection.validation("cursor is not valid"));
    }

    Slice read(UserId userId, SessionCursor after, int limit) {
        List<SessionDetails> rows = queries.pageOfUser(userId, after, limit + 1);
        if (rows.size() <= limit) {
            return new Slice(rows, null);
        }
        List<SessionDetails> page = rows.subList(0, limit);
        return new Slice(page, SessionCursor.after(page.get(page.size() - 1).session()).encode());
    }
}
