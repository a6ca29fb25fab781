package dev.authsessions.application.port.out;

import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import java.util.List;
import java.util.Optional;

/** Reads sessions with their AMR claims for the listings; never on the refresh path. */
public interface SessionQueries {

    Optional<SessionDetails> findWithClaims(SessionId id);

    /**
     * At most {@code limit} sessions of the user, newest first ({@code created_at} descending, then {@code id}
     * descending, ids ordered as PostgreSQL orders uuids: by their unsigned bytes), starting strictly after
     * {@code after} when it is given (null for the first page). Empty for an unknown user.
     */
    List<SessionDetails> pageOfUser(UserId userId, SessionCursor after, int limit);
}
