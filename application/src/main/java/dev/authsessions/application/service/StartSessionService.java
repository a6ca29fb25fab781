package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SecureRandomSource;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Starts a session for a user who has just authenticated: counter 0, a fresh HMAC key, one AMR claim. */
public final class StartSessionService implements StartSessionUseCase {
    private final UserRepository users;
    private final SessionRepository sessions;
    private final OAuthClientRepository clients;
    private final SecureRandomSource random;
    private final Clock clock;
    private final GrantIssuer grants;

    public StartSessionService(
            UserRepository users,
            SessionRepository sessions,
            OAuthClientRepository clients,
            AccessTokenSigner signer,
            SecureRandomSource random,
            Clock clock,
            SessionSettings settings) {
        this.users = users;
        this.sessions = sessions;
        this.clients = clients;
        this.random = random;
        this.clock = clock;
        this.grants = new GrantIssuer(signer, settings);
    }

    @Override
    public TokenGrant start(Command command) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        User user = users.findById(command.userId())
                .orElseThrow(() -> Rejection.notFound(ErrorCode.USER_NOT_FOUND, "User not found"));
        if (user.isBannedAt(now)) {
            throw Rejection.badRequest(ErrorCode.USER_BANNED, "User is banned");
        }
        if (command.oauthClientId() != null && clients.findById(command.oauthClientId()).isEmpty()) {
            throw Rejection.notFound(ErrorCode.OAUTH_CLIENT_NOT_FOUND, "OAuth client not found");
        }
        if (command.scopes() != null && command.oauthClientId() == null) {
            throw Rejection.validation("scopes are only granted to OAuth client sessions");
        }
        if (command.factorId() != null && command.aal().isBelow(Aal.AAL2)) {
            throw Rejection.validation("factor_id needs aal2 or higher");
        }
        if (command.notAfter() != null && !command.notAfter().isAfter(now)) {
            throw Rejection.validation("not_after must be in the future");
        }
        Session session = new Session(
                SessionId.fromRandomBytes(random.nextBytes(16)),
                user.id(),
                now,
                now,
                command.factorId(),
                command.aal(),
                command.notAfter(),
                null,
                command.userAgent(),
                command.ip(),
                command.tag(),
                command.oauthClientId(),
                HmacKey.of(random.nextBytes(HmacKey.LENGTH)),
                0,
                command.scopes());
        AmrClaim claim = new AmrClaim(command.method(), now);
        sessions.create(session, claim);
        return grants.issue(session, user, List.of(claim), now, List.of(), false);
    }
}
