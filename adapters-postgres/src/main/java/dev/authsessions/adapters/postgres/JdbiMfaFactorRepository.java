package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.UserId;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link MfaFactorRepository} on {@code auth.mfa_factors}. Registering is one upsert; removing is one
 * transaction that also downgrades the sessions stepped up with the factor.
 */
public final class JdbiMfaFactorRepository implements MfaFactorRepository {
    private static final String FIND_BY_ID =
            "SELECT " + MfaFactorRow.COLUMNS + " FROM auth.mfa_factors WHERE id = :id";
    // The WHERE of DO UPDATE leaves another user's factor (or one of another type) alone and returns no row.
    private static final String REGISTER = """
            INSERT INTO auth.mfa_factors AS f (id, user_id, factor_type, status, created_at, updated_at)
            VALUES (:id, :userId, CAST(:type AS auth.factor_type), 'verified', :now, :now)
            ON CONFLICT (id) DO UPDATE SET status = 'verified', updated_at = EXCLUDED.updated_at
             WHERE f.user_id = EXCLUDED.user_id AND f.factor_type = EXCLUDED.factor_type
            RETURNING (f.xmax = 0) AS created
            """;
    private static final String DELETE_FACTOR = "DELETE FROM auth.mfa_factors WHERE id = :id AND user_id = :userId"
            + " RETURNING " + MfaFactorRow.COLUMNS;
    // Only the sessions that were on the factor lose its method's claim; one on another factor keeps it.
    private static final String DOWNGRADE_SESSIONS = """
            WITH downgraded AS (
                UPDATE auth.sessions SET aal = 'aal1', factor_id = NULL, updated_at = :now
                 WHERE user_id = :userId AND factor_id = :factorId
                RETURNING id)
            DELETE FROM auth.mfa_amr_claims
             WHERE session_id IN (SELECT id FROM downgraded) AND authentication_method = :method
            """;

    private final StorageAccess db;

    @Inject
    public JdbiMfaFactorRepository(Jdbi jdbi) {
        this.db = new StorageAccess(jdbi);
    }

    @Override
    public Optional<MfaFactor> findById(FactorId id) {
        return db.withHandle(handle -> handle.createQuery(FIND_BY_ID)
                        .bind("id", id.value())
                        .map((rs, ctx) -> MfaFactorRow.read(rs))
                        .findOne())
                .map(MfaFactorRow::toDomain);
    }

    @Override
    public Registration register(FactorId id, UserId userId, FactorType type, Instant now) {
        return db.withHandle(handle -> register(handle, id, userId, type, now));
    }

    /** The upsert of {@link #register}, on a handle that may be inside a larger transaction (step-up). */
    static Registration register(Handle handle, FactorId id, UserId userId, FactorType type, Instant now) {
        return handle.createQuery(REGISTER)
                .bind("id", id.value())
                .bind("userId", userId.value())
                .bind("type", type.value())
                .bind("now", Timestamps.toTimestamptz(now))
                .mapTo(Boolean.class)
                .findOne()
                .map(created -> created ? Registration.CREATED : Registration.UPDATED)
                .orElse(Registration.CONFLICT);
    }

    @Override
    public Optional<MfaFactor> remove(UserId userId, FactorId id, Instant now) {
        return db.inTransaction(handle -> {
            Optional<MfaFactor> removed = handle.createQuery(DELETE_FACTOR)
                    .bind("id", id.value())
                    .bind("userId", userId.value())
                    .map((rs, ctx) -> MfaFactorRow.read(rs))
                    .findOne()
                    .map(MfaFactorRow::toDomain);
            removed.ifPresent(factor -> handle.createUpdate(DOWNGRADE_SESSIONS)
                    .bind("userId", userId.value())
                    .bind("factorId", id.value())
                    .bind("now", Timestamps.toTimestamptz(now))
                    .bind("method", factor.type().method().value())
                    .execute());
            return removed;
        });
    }
}
