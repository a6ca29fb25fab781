package dev.authsessions.application.port.in;

import dev.authsessions.domain.SessionId;

/** An operator reads one session with its AMR claims. */
public interface ReadSessionUseCase {

    /** @throws Rejection {@code session_not_found} (not found) */
    SessionDetails read(SessionId id);
}
