package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link UserRepository} on {@code auth.users}; soft-deleted users ({@code deleted_at} set) are not found. */
public final class JdbiUserRepository implements UserRepository {
    private static final String FIND_BY_ID =
            "SELECT " + UserRow.columns("u", "") + " FROM auth.users u WHERE u.id = :id AND u.deleted_at IS NULL";
    // A soft-deleted user that is written again comes back as new: its old sessions go first.
    private static final String DELETE_SESSIONS_OF_SOFT_DELETED = """
            DELETE FROM auth.sessions s USING auth.users u
             WHERE u.id = :id AND u.deleted_at IS NOT NULL AND s.user_id = u.id
            """;
    private static final String UPSERT = """
            WITH previous AS (SELECT deleted_at IS NOT NULL AS was_deleted FROM auth.users WHERE id = :id)
            INSERT INTO auth.users AS u (id, aud, role, email, phone, raw_app_meta_data, raw_user_meta_data,
                is_anonymous, banned_until, created_at, updated_at)
            VALUES (:id, :aud, :role, :email, :phone, CAST(:appMetadata AS jsonb), CAST(:userMetadata AS jsonb),
                :isAnonymous, :bannedUntil, :createdAt, :updatedAt)
            ON CONFLICT (id) DO UPDATE SET
                aud = EXCLUDED.aud, role = EXCLUDED.role, email = EXCLUDED.email, phone = EXCLUDED.phone,
                raw_app_meta_data = EXCLUDED.raw_app_meta_data, raw_user_meta_data = EXCLUDED.raw_user_meta_data,
                is_anonymous = EXCLUDED.is_anonymous, banned_until = EXCLUDED.banned_until,
                updated_at = EXCLUDED.updated_at,
                created_at = CASE WHEN u.deleted_at IS NULL THEN COALESCE(u.created_at, EXCLUDED.created_at)
                                  ELSE EXCLUDED.created_at END,
                deleted_at = NULL
            RETURNING\s""" + UserRow.columns("u", "") + """
            , (u.xmax = 0 OR COALESCE((SELECT was_deleted FROM previous), false)) AS created
            """;

    private final StorageAccess db;

    @Inject
    public JdbiUserRepository(Jdbi jdbi) {
        this.db = new StorageAccess(jdbi);
    }

    @Override
    public Optional<User> findById(UserId id) {
        return db.withHandle(handle -> handle.createQuery(FIND_BY_ID)
                        .bind("id", id.value())
                        .map((rs, ctx) -> UserRow.read(rs, ""))
                        .findOne())
                .map(UserRow::toDomain);
    }

    @Override
    public Upserted upsert(User user) {
        UserRow row = UserRow.from(user);
        return db.inTransaction(handle -> {
            handle.createUpdate(DELETE_SESSIONS_OF_SOFT_DELETED).bind("id", row.id()).execute();
            return row.bindTo(handle.createQuery(UPSERT))
                    .map((rs, ctx) -> new Upserted(UserRow.read(rs, "").toDomain(), rs.getBoolean("created")))
                    .one();
        });
    }

    @Override
    public boolean delete(UserId id) {
        return db.withHandle(handle -> handle.createUpdate("DELETE FROM auth.users WHERE id = :id")
                .bind("id", id.value())
                .execute()) > 0;
    }
}
