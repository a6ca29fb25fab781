package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListUserSessionsUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.SessionCursor;

/** Keyset pages of a user's sessions for operators; an unknown user is {@code user_not_found}. */
public final class ListUserSessionsService implements ListUserSessionsUseCase {
    private final UserRepository users;
    private final SessionPages pages;

    public ListUserSessionsService(UserRepository users, SessionQueries queries) {
        this.users = users;
        this.pages = new SessionPages(queries);
    }

    @Override
    public Page list(Query query) {
        SessionCursor after = SessionPages.checked(query.limit(), query.cursor());
        if (users.findById(query.userId()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
        SessionPages.Slice slice = pages.read(query.userId(), after, query.limit());
        return new Page(slice.sessions(), slice.nextCursor());
    }
}
