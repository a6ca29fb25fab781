package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.SessionCursor;
import java.util.List;

/** Keyset pages of a user's sessions: reads one row more than asked to know whether another page follows. */
public final class ListUserSessionsService implements ListUserSessionsUseCase {
    private final UserRepository users;
    private final SessionQueries queries;

    public ListUserSessionsService(UserRepository users, SessionQueries queries) {
        this.users = users;
        this.queries = queries;
    }

    @Override
    public Page list(Query query) {
        if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
            throw Rejection.validation("limit must be between 1 and " + MAX_LIMIT);
        }
        SessionCursor after = null;
        if (query.cursor() != null) {
            after = SessionCursor.decode(query.cursor())
                    .orElseThrow(() -> Rejection.validation("cursor is not valid"));
        }
        if (users.findById(query.userId()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
        List<SessionDetails> rows = queries.pageOfUser(query.userId(), after, query.limit() + 1);
        if (rows.size() <= query.limit()) {
            return new Page(rows, null);
        }
        List<SessionDetails> page = rows.subList(0, query.limit());
        return new Page(page, SessionCursor.after(page.get(page.size() - 1).session()).encode());
    }
}
