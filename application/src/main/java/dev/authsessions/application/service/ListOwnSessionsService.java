package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.SessionCursor;

/** The caller's own sessions, a keyset page at a time, with the operators' limits and cursor. */
public final class ListOwnSessionsService implements ListOwnSessionsUseCase {
    private final SessionPages pages;

    public ListOwnSessionsService(SessionQueries queries) {
        this.pages = new SessionPages(queries);
    }

    @Override
    public Page listOwn(Query query) {
        SessionCursor after = SessionPages.checked(query.limit(), query.cursor());
        SessionPages.Slice slice = pages.read(query.caller().user().id(), after, query.limit());
        return new Page(slice.sessions(), slice.nextCursor());
    }
}
