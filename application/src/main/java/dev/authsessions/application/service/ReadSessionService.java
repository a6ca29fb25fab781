package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ReadSessionUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.SessionId;

/** Reads one session and its AMR claims for an operator. */
public final class ReadSessionService implements ReadSessionUseCase {
    private final SessionQueries queries;

    public ReadSessionService(SessionQueries queries) {
        this.queries = queries;
    }

    @Override
    public SessionDetails read(SessionId id) {
        return queries.findWithClaims(id)
                .orElseThrow(() -> Rejection.notFound(ErrorCode.SESSION_NOT_FOUND, "Session not found"));
    }
}
