package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Removes a user's factor; the repository downgrades the sessions on it in the same transaction. */
public final class RemoveFactorService implements RemoveFactorUseCase {
    private final UserRepository users;
    private final MfaFactorRepository factors;
    private final Clock clock;
    private final GoTrueOwnedTables ownership;

    public RemoveFactorService(UserRepository users, MfaFactorRepository factors, Clock clock, DatabaseMode mode) {
        this.users = users;
        this.factors = factors;
        this.clock = clock;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public void remove(UserId userId, FactorId factorId) {
        ownership.requireWritable(GoTrueOwnedTables.Table.MFA_FACTORS);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (users.findById(userId).isEmpty()) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
        if (factors.remove(userId, factorId, now).isEmpty()) {
            throw Rejection.notFound(ErrorCode.FACTOR_NOT_FOUND, "MFA factor not found");
        }
    }
}
