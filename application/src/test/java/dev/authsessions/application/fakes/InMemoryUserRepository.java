package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.MfaFactorRepository.Registration;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageConstraintException.Violation;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code auth.users} and {@code auth.mfa_factors} in memory. Soft-deleted users keep their row but
 * are not found, as with {@code deleted_at}. A user's {@code hasVerifiedFactor} is derived from its
 * verified factor rows (or forced by {@link #setVerifiedFactor}). Deleting a user deletes its factors
 * and runs the registered cascades (the session repository registers itself), under the same lock
 * that guards inserting a session for a user, so no session can outlive its user.
 */
public final class InMemoryUserRepository implements UserRepository {
    private record Row(User user, Instant deletedAt, boolean verifiedFactor) {
    }

    private final Map<UserId, Row> rows = new ConcurrentHashMap<>();
    private final Map<FactorId, MfaFactor> factors = new ConcurrentHashMap<>();
    private final List<Consumer<UserId>> cascades = new CopyOnWriteArrayList<>();

    @Override
    public Optional<User> findById(UserId id) {
        Row row = rows.get(id);
        if (row == null || row.deletedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(withFactor(row));
    }

    @Override
    public synchronized Upserted upsert(User user) {
        Row existing = rows.get(user.id());
        Row row = existing == null
                ? new Row(user, null, false)
                : new Row(user, existing.deletedAt(), existing.verifiedFactor());
        rows.put(user.id(), row);
        return new Upserted(withFactor(row), existing == null);
    }

    @Override
    public synchronized boolean delete(UserId id) {
        if (rows.remove(id) == null) {
            return false;
        }
        factors.values().removeIf(f -> f.userId().equals(id));
        cascades.forEach(cascade -> cascade.accept(id));
        return true;
    }

    /** Sets {@code deleted_at}: the row stays (its sessions too) but the user is no longer found. */
    public synchronized void softDelete(UserId id, Instant at) {
        rows.computeIfPresent(id, (k, row) -> new Row(row.user(), at, row.verifiedFactor()));
    }

    /**
     * Forces {@code hasVerifiedFactor} on as if the user had a verified factor row, or turns the
     * forcing off again; factors registered through the factor port count either way.
     */
    public synchronized void setVerifiedFactor(UserId id, boolean verified) {
        rows.computeIfPresent(id, (k, row) -> new Row(row.user(), row.deletedAt(), verified));
    }

    /** Whether the row exists at all, soft-deleted or not: what a foreign key checks. */
    public boolean rowExists(UserId id) {
        return rows.containsKey(id);
    }

    public int size() {
        return rows.size();
    }

    /** Every factor row of the user, verified or not (a test's view of the table). */
    public List<MfaFactor> factorsOf(UserId id) {
        return factors.values().stream().filter(f -> f.userId().equals(id)).toList();
    }

    void addCascade(Consumer<UserId> cascade) {
        cascades.add(cascade);
    }

    /** Runs {@code insert} while no user can be deleted; fails as the foreign key {@code constraint} would if the user row is missing. */
    synchronized void insertReferencing(UserId id, String constraint, Runnable insert) {
        if (!rows.containsKey(id)) {
            throw new StorageConstraintException(Violation.USER_GONE, constraint);
        }
        insert.run();
    }

    /** Runs {@code work} as one transaction over users, factors and (by convention) session inserts and cascades. */
    synchronized <T> T locked(Supplier<T> work) {
        return work.get();
    }

    Optional<MfaFactor> factor(FactorId id) {
        return Optional.ofNullable(factors.get(id));
    }

    /** The upsert of {@code MfaFactorRepository#register}. */
    synchronized Registration registerFactor(FactorId id, UserId userId, FactorType type, Instant now) {
        if (!rows.containsKey(userId)) {
            throw new StorageConstraintException(Violation.USER_GONE, "mfa_factors_user_id_fkey");
        }
        MfaFactor existing = factors.get(id);
        if (existing == null) {
            factors.put(id, MfaFactor.verified(id, userId, type, now));
            return Registration.CREATED;
        }
        if (!existing.userId().equals(userId) || existing.type() != type) {
            return Registration.CONFLICT;
        }
        factors.put(id, new MfaFactor(id, userId, type, MfaFactor.Status.VERIFIED, existing.createdAt(), now));
        return Registration.UPDATED;
    }

    /** Stores a factor row as given, e.g. an unverified one imported from GoTrue. */
    public synchronized void putFactor(MfaFactor factor) {
        if (!rows.containsKey(factor.userId())) {
            throw new IllegalStateException("foreign key violation: no user " + factor.userId());
        }
        factors.put(factor.id(), factor);
    }

    synchronized void removeFactor(FactorId id) {
        factors.remove(id);
    }

    private User withFactor(Row row) {
        User user = row.user();
        boolean verified = row.verifiedFactor()
                || factors.values().stream().anyMatch(f -> f.userId().equals(user.id()) && f.isVerified());
        return new User(user.id(), user.aud(), user.role(), user.email(), user.phone(), user.appMetadata(),
                user.userMetadata(), user.isAnonymous(), user.bannedUntil(), user.createdAt(), user.updatedAt(),
                verified);
    }
}
