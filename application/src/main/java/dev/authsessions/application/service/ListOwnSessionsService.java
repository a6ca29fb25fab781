package dev.authsessions.application.service;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.SessionCursor;
import java.util.ArrayList;
import java.util.List;

/** Lists the caller's sessions, read page by page with the operators' keyset query so no statement is unbounded. */
public final class ListOwnSessionsService implements ListOwnSessionsUseCase {
    static final int PAGE_SIZE = 1000;

    private final SessionQueries queries;

    public ListOwnSessionsService(SessionQueries queries) {
        this.queries = queries;
    }

    @Override
    public List<SessionDetails> listOwn(Caller caller) {
        List<SessionDetails> all = new ArrayList<>();
        SessionCursor after = null;
        while (true) {
            List<SessionDetails> page = queries.pageOfUser(caller.user().id(), after, PAGE_SIZE);
            all.addAll(page);
            if (page.size() < PAGE_SIZE) {
                return all;
            }
            after = SessionCursor.after(page.get(page.size() - 1).session());
        }
    }
}
