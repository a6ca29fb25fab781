package dev.authsessions.application.port.in;

import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import java.util.List;

/** A signed-in user's view of their own sessions ({@code GET /sessions}). */
public interface ListOwnSessionsUseCase {

    /** Every session of the caller's user, newest first ({@code created_at}, then id, descending). */
    List<SessionDetails> listOwn(Caller caller);
}
