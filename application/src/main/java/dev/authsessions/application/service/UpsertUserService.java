package dev.authsessions.application.service;

import dev.authsessions.application.port.in.UpsertUserUseCase;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.User;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Creates a user (aud and role default to {@code authenticated}, as GoTrue's) or changes only the
 * fields the command carries.
 */
public final class UpsertUserService implements UpsertUserUseCase {
    static final String DEFAULT_AUD = "authenticated";
    static final String DEFAULT_ROLE = "authenticated";

    private final UserRepository users;
    private final Clock clock;
    private final GoTrueOwnedTables ownership;

    public UpsertUserService(UserRepository users, Clock clock, DatabaseMode mode) {
        this.users = users;
        this.clock = clock;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public Result upsert(Command c) {
        ownership.requireWritable(GoTrueOwnedTables.Table.USERS);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<User> existing = users.findById(c.id());
        User base = existing.orElseGet(() -> new User(c.id(), DEFAULT_AUD, DEFAULT_ROLE, null, null,
                null, null, false, null, now, now, false));
        User merged = new User(
                c.id(),
                c.aud().orElse(base.aud()),
                c.role().orElse(base.role()),
                c.email().orElse(base.email()),
                c.phone().orElse(base.phone()),
                c.appMetadata().orElse(base.appMetadata()),
                c.userMetadata().orElse(base.userMetadata()),
                c.isAnonymous().present() && c.isAnonymous().value() != null ? c.isAnonymous().value() : base.isAnonymous(),
                c.bannedUntil().orElse(base.bannedUntil()),
                base.createdAt(),
                now,
                base.hasVerifiedFactor());
        UserRepository.Upserted stored = users.upsert(merged);
        return new Result(stored.user(), stored.created());
    }
}
