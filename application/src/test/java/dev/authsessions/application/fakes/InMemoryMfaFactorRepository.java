package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.FactorType;
import dev.authsessions.domain.MfaFactor;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code auth.mfa_factors} in memory; the rows live with the users (whose {@code hasVerifiedFactor}
 * they decide), and removing a factor downgrades its sessions under the users' lock, as one transaction.
 */
public final class InMemoryMfaFactorRepository implements MfaFactorRepository {
    private final InMemoryUserRepository users;
    private final InMemorySessionRepository sessions;

    public InMemoryMfaFactorRepository(InMemoryUserRepository users, InMemorySessionRepository sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    public Optional<MfaFactor> findById(FactorId id) {
        return users.factor(id);
    }

    @Override
    public Registration register(FactorId id, UserId userId, FactorType type, Instant now) {
        return users.registerFactor(id, userId, type, now);
    }

    @Override
    public Optional<MfaFactor> remove(UserId userId, FactorId id, Instant now) {
        return users.locked(() -> {
            Optional<MfaFactor> factor = users.factor(id).filter(f -> f.userId().equals(userId));
            factor.ifPresent(f -> {
                users.removeFactor(id);
                sessions.downgradeFactor(userId, id, f.type().method(), now);
            });
            return factor;
        });
    }
}
