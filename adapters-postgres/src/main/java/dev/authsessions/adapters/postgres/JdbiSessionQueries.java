package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.UserId;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link SessionQueries} on {@code auth.sessions}: each session read together with its claims (one
 * correlated subquery), pages by keyset on {@code (created_at, id)} so they are served by
 * {@code user_id_created_at_idx} and cost the same on every page.
 */
public final class JdbiSessionQueries implements SessionQueries {
    private static final String SELECT = "SELECT " + SessionRow.columns("s") + ", " + AmrClaimRow.jsonArrayOf("s.id")
            + " AS claims FROM auth.sessions s";
    static final String FIND_BY_ID = SELECT + " WHERE s.id = :id";
    static final String FIRST_PAGE = SELECT + " WHERE s.user_id = :userId"
            + " ORDER BY s.created_at DESC, s.id DESC LIMIT :limit";
    /** The plain {@code created_at <= :createdAt} lets the index bound the scan; the row comparison breaks ties by id. */
    static final String NEXT_PAGE = SELECT + " WHERE s.user_id = :userId AND s.created_at <= :createdAt"
            + " AND (s.created_at, s.id) < (:createdAt, :id)"
            + " ORDER BY s.created_at DESC, s.id DESC LIMIT :limit";

    private final StorageAccess db;
    private final HmacKeyEncryption encryption;

    /** Keys in plaintext. */
    public JdbiSessionQueries(Jdbi jdbi) {
        this(jdbi, HmacKeyEncryption.none());
    }

    @Inject
    public JdbiSessionQueries(Jdbi jdbi, HmacKeyEncryption encryption) {
        this.db = new StorageAccess(jdbi);
        this.encryption = encryption;
    }

    @Override
    public Optional<SessionDetails> findWithClaims(SessionId id) {
        return db.withHandle(handle -> handle.createQuery(FIND_BY_ID)
                .bind("id", id.value())
                .map((rs, ctx) -> details(rs))
                .findOne());
    }

    @Override
    public List<SessionDetails> pageOfUser(UserId userId, SessionCursor after, int limit) {
        return db.withHandle(handle -> {
            Query query = handle.createQuery(after == null ? FIRST_PAGE : NEXT_PAGE)
                    .bind("userId", userId.value())
                    .bind("limit", limit);
            if (after != null) {
                query.bind("createdAt", Timestamps.toTimestamptz(after.createdAt())).bind("id", after.id().value());
            }
            return query.map((rs, ctx) -> details(rs)).list();
        });
    }

    private SessionDetails details(ResultSet rs) throws SQLException {
        return new SessionDetails(SessionRow.read(rs).toDomain(encryption),
                AmrClaimRow.fromJsonArray(rs.getString("claims")).stream().map(AmrClaimRow::toDomain).toList());
    }
}
