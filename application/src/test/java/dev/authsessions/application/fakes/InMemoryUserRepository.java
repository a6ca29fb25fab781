package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code auth.users} in memory. Soft-deleted users keep their row but are not found, as with
 * {@code deleted_at}. Deleting a user runs the registered cascades (the session repository
 * registers itself), under the same lock that guards inserting a session for a user, so no
 * session can outlive its user.
 */
public final class InMemoryUserRepository implements UserRepository {
    private record Row(User user, Instant deletedAt, boolean verifiedFactor) {
    }

    private final Map<UserId, Row> rows = new ConcurrentHashMap<>();
    private final List<Consumer<UserId>> cascades = new CopyOnWriteArrayList<>();

    @Override
    public Optional<User> findById(UserId id) {
        Row row = rows.get(id);
        if (row == null || row.deletedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(withFactor(row.user(), row.verifiedFactor()));
    }

    @Override
    public synchronized Upserted upsert(User user) {
        Row existing = rows.get(user.id());
        Row row = existing == null
                ? new Row(withFactor(user, false), null, false)
                : new Row(withFactor(user, false), existing.deletedAt(), existing.verifiedFactor());
        rows.put(user.id(), row);
        return new Upserted(withFactor(row.user(), row.verifiedFactor()), existing == null);
    }

    @Override
    public synchronized boolean delete(UserId id) {
        if (rows.remove(id) == null) {
            return false;
        }
        cascades.forEach(cascade -> cascade.accept(id));
        return true;
    }

    /** Sets {@code deleted_at}: the row stays (its sessions too) but the user is no longer found. */
    public synchronized void softDelete(UserId id, Instant at) {
        rows.computeIfPresent(id, (k, row) -> new Row(row.user(), at, row.verifiedFactor()));
    }

    /** Whether the user has a verified MFA factor, which makes aal2 their highest possible level. */
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

    void addCascade(Consumer<UserId> cascade) {
        cascades.add(cascade);
    }

    /** Runs {@code insert} while no user can be deleted; fails as a foreign key would if the user row is missing. */
    synchronized void insertReferencing(UserId id, Runnable insert) {
        if (!rows.containsKey(id)) {
            throw new IllegalStateException("foreign key violation: no user " + id);
        }
        insert.run();
    }

    private static User withFactor(User user, boolean verifiedFactor) {
        return new User(user.id(), user.aud(), user.role(), user.email(), user.phone(), user.appMetadata(),
                user.userMetadata(), user.isAnonymous(), user.bannedUntil(), user.createdAt(), user.updatedAt(),
                verifiedFactor);
    }
}
