package dev.authsessions.application.port.in;

import dev.authsessions.domain.SessionId;

/** An operator ends one session. */
public interface DeleteSessionUseCase {

    /** @throws Rejection {@code session_not_found} (not found) */
    void delete(SessionId id);
}
