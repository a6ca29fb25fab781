package dev.authsessions.application.port.out;

import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Stores users' MFA factors ({@code auth.mfa_factors}); a user's {@code hasVerifiedFactor} is
 * derived from them. Deleting a user deletes its factors by cascade.
 */
public interface MfaFactorRepository {

    Optional<MfaFactor> findById(FactorId id);

    /**
     * Inserts {@code id} as a verified factor of the user ({@code created_at = updated_at = now}), or,
     * if a factor with that id already exists for the same user and type, marks it verified and moves
     * its {@code updated_at} to {@code now}. If the id is a factor of another user or of another type,
     * nothing changes. One atomic statement (e.g. {@code INSERT … ON CONFLICT (id) DO UPDATE … WHERE
     * user_id and factor_type match}).
     *
     * @throws StorageConstraintException {@code USER_GONE} (and nothing changes) when the user does not exist
     *         (deleted since the caller read it)
     */
    Registration register(FactorId id, UserId userId, FactorType type, Instant now);

    /**
     * Removes a factor of the user. In ONE transaction: deletes the factor row, sets the user's
     * sessions with this {@code factor_id} to {@code aal1} with {@code factor_id} null and
     * {@code updated_at = now}, and deletes those sessions' AMR claims of the factor type's method
     * ({@link FactorType#method()}). Other sessions and their claims are untouched.
     *
     * @return the removed factor, or empty (and nothing changed) when the user has no factor with that id
     */
    Optional<MfaFactor> remove(UserId userId, FactorId id, Instant now);

    /** What {@link #register} did. */
    enum Registration {
        /** A new factor row was inserted. */
        CREATED,
        /** The user's existing factor of that type is (still) verified. */
        UPDATED,
        /** The id belongs to another user's factor or to a factor of another type; nothing changed. */
        CONFLICT
    }
}
