package dev.authsessions.application.service;

import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Bearer checks: a valid unexpired JWT whose session and user still exist and whose user is not banned. */
public final class AuthenticateService implements AuthenticateUseCase {
    private final AccessTokenVerifier verifier;
    private final SessionRepository sessions;
    private final UserRepository users;
    private final Clock clock;

    public AuthenticateService(AccessTokenVerifier verifier, SessionRepository sessions, UserRepository users, Clock clock) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public Caller authenticate(String accessToken) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AccessTokenVerifier.Verified verified = verifier.verify(accessToken, now)
                .orElseThrow(() -> Rejection.forbidden(ErrorCode.BAD_JWT,
                        "invalid JWT: unable to parse or verify signature, or token is expired or not valid yet"));
        Session session = sessions.findById(verified.sessionId())
                .filter(s -> s.belongsTo(verified.userId()))
                .orElseThrow(() -> Rejection.forbidden(ErrorCode.SESSION_NOT_FOUND,
                        "Session from session_id claim in JWT does not exist"));
        User user = users.findById(verified.userId())
                .orElseThrow(() -> Rejection.forbidden(ErrorCode.USER_NOT_FOUND,
                        "User from sub claim in JWT does not exist"));
        if (user.isBannedAt(now)) {
            throw Rejection.forbidden(ErrorCode.USER_BANNED, "User is banned");
        }
        return new Caller(user, session);
    }
}
