package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.MfaFactor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Registers a verified MFA factor for a user; re-registering the same factor is idempotent. */
public final class RegisterFactorService implements RegisterFactorUseCase {
    private final UserRepository users;
    private final MfaFactorRepository factors;
    private final Clock clock;
    private final GoTrueOwnedTables ownership;

    public RegisterFactorService(UserRepository users, MfaFactorRepository factors, Clock clock, DatabaseMode mode) {
        this.users = users;
        this.factors = factors;
        this.clock = clock;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public Result register(Command command) {
        ownership.requireWritable(GoTrueOwnedTables.Table.MFA_FACTORS);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (users.findById(command.userId()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found");
        }
        MfaFactorRepository.Registration registration =
                factors.register(command.factorId(), command.userId(), command.type(), now);
        if (registration == MfaFactorRepository.Registration.CONFLICT) {
            throw Rejection.validation("factor_id is already a factor of another user or of another type");
        }
        MfaFactor stored = factors.findById(command.factorId())
                .orElseGet(() -> MfaFactor.verified(command.factorId(), command.userId(), command.type(), now));
        return new Result(stored, registration == MfaFactorRepository.Registration.CREATED);
    }
}
