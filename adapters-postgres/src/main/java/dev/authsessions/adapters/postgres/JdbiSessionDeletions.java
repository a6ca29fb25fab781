package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import jakarta.inject.Inject;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/** {@link SessionDeletions}: one autocommit DELETE each; claims and refresh tokens follow by cascade. */
public final class JdbiSessionDeletions implements SessionDeletions {
    private static final String DELETE_OWNED = "DELETE FROM auth.sessions WHERE id = :id AND user_id = :userId";
    private static final String DELETE_OF_USER = "DELETE FROM auth.sessions WHERE user_id = :userId";

    private final StorageAccess db;

    @Inject
    public JdbiSessionDeletions(Jdbi jdbi) {
        this.db = new StorageAccess(jdbi);
    }

    @Override
    public boolean deleteOwned(UserId owner, SessionId id) {
        return db.withHandle(handle -> handle.createUpdate(DELETE_OWNED)
                .bind("id", id.value())
                .bind("userId", owner.value())
                .execute()) > 0;
    }

    @Override
    public int deleteOfUser(UserId owner, OAuthClientId onlyClient, SessionId except) {
        // Only the filters that are given, so each variant is a plain predicate the planner sees as such.
        String sql = DELETE_OF_USER
                + (onlyClient == null ? "" : " AND oauth_client_id = :client")
                + (except == null ? "" : " AND id <> :except");
        return db.withHandle(handle -> {
            Update update = handle.createUpdate(sql).bind("userId", owner.value());
            if (onlyClient != null) {
                update.bind("client", onlyClient.value());
            }
            if (except != null) {
                update.bind("except", except.value());
            }
            return update.execute();
        });
    }
}
