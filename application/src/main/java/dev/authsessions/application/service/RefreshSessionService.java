package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.SessionRepository.SessionContext;
import dev.authsessions.domain.InvalidRefreshTokenException;
import dev.authsessions.domain.RefreshDecision;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionValidity;
import dev.authsessions.domain.SinglePerUserRule;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The refresh-token grant. The token is parsed before any database access; the counter moves by an
 * atomic compare-and-set, and a lost race re-reads the session and applies the rules again, so
 * concurrent refreshes with one token all succeed with the same new token. Gives up with 409
 * {@code conflict} after {@link SessionSettings#MAX_REFRESH_WAIT} or
 * {@link SessionSettings#MAX_REFRESH_ATTEMPTS} rounds, whichever comes first. With single session per
 * user on, the session must also be the winner of its tag group ({@link SinglePerUserRule}), checked
 * after validity and client authentication and before the reuse decision, as GoTrue does. Each
 * decision that took effect is reported to {@link SessionEvents}.
 */
public final class RefreshSessionService implements RefreshSessionUseCase {
    private final SessionRepository sessions;
    private final ClientAuthentication clientAuthentication;
    private final Clock clock;
    private final SessionSettings settings;
    private final GrantIssuer grants;
    private final Optional<SinglePerUserRule> singlePerUser;
    private final SessionEvents events;

    public RefreshSessionService(
            SessionRepository sessions,
            ClientAuthentication clientAuthentication,
            AccessTokenSigner signer,
            Clock clock,
            SessionSettings settings,
            SessionEvents events) {
        this.sessions = sessions;
        this.events = events;
        this.clientAuthentication = clientAuthentication;
        this.clock = clock;
        this.settings = settings;
        this.grants = new GrantIssuer(signer, settings);
        this.singlePerUser = settings.singlePerUserRule();
    }

    @Override
    public TokenGrant refresh(Command command) {
        if (command.refreshToken() == null || command.refreshToken().isEmpty()) {
            throw Rejection.validation("refresh_token required");
        }
        RefreshToken token;
        try {
            token = RefreshToken.parse(command.refreshToken());
        } catch (InvalidRefreshTokenException e) {
            throw Rejection.validation("Refresh token is not valid");
        }
        Instant start = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant deadline = start.plus(SessionSettings.MAX_REFRESH_WAIT);
        Instant now = start;
        UserId named = null;
        for (int attempts = 0; attempts < SessionSettings.MAX_REFRESH_ATTEMPTS && !now.isAfter(deadline); attempts++) {
            Optional<SessionContext> loaded = sessions.loadForRefresh(token.sessionId())
                    .filter(c -> token.isSignedBy(c.session().refreshTokenHmacKey()));
            if (loaded.isEmpty()) {
                Rejection notFound = Rejection.badRequest(ErrorCode.REFRESH_TOKEN_NOT_FOUND,
                        "Invalid Refresh Token: Refresh Token Not Found");
                throw named == null ? notFound : notFound.concerning(named, token.sessionId());
            }
            Optional<TokenGrant> grant = attempt(token, command, loaded.get(), now, named != null);
            if (grant.isPresent()) {
                return grant.get();
            }
            named = loaded.get().user().id();
            now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        }
        Rejection conflict = new Rejection(Rejection.Kind.CONFLICT, ErrorCode.CONFLICT,
                "Too many concurrent token refresh requests on the same session or refresh token");
        throw named == null ? conflict : conflict.concerning(named, token.sessionId());
    }

    /**
     * One decide-write round on a session whose key signed the token; empty when the compare-and-set
     * lost and the round must be repeated. A refusal names whom it is about as GoTrue does, which notes
     * the user once the token has led it to one, and the session right after the ban check: a banned
     * user's refusal names only the user (unless an earlier round got further), every later refusal both,
     * and so does any refusal after a lost round.
     */
    private Optional<TokenGrant> attempt(RefreshToken token, Command command, SessionContext context, Instant now,
            boolean sessionNamed) {
        User user = context.user();
        if (user.isBannedAt(now)) {
            throw Rejection.badRequest(ErrorCode.USER_BANNED, "Invalid Refresh Token: User Banned")
                    .concerning(user.id(), sessionNamed ? context.session().id() : null);
        }
        try {
            return decide(token, command, context, now);
        } catch (Rejection refusal) {
            throw refusal.concerning(user.id(), context.session().id());
        }
    }

    private Optional<TokenGrant> decide(RefreshToken token, Command command, SessionContext context, Instant now) {
        Session session = context.session();
        User user = context.user();
        SessionValidity validity = settings.sessionPolicy().check(session, user, now);
        if (!validity.isValid()) {
            events.expired(validity);
            throw Rejection.badRequest(ErrorCode.SESSION_EXPIRED, validity.message());
        }
        clientAuthentication.check(session, command.clientId(), command.clientSecret());
        if (singlePerUser.isPresent() && singlePerUser.get().isRevoked(
                session, user, sessions.listOfUser(user.id()), settings.sessionPolicy(), now)) {
            events.revokedByNewerLogin();
            throw Rejection.badRequest(ErrorCode.SESSION_EXPIRED, SinglePerUserRule.REVOKED_MESSAGE);
        }

        RefreshDecision decision = settings.refreshTokenRules()
                .decide(session.refreshTokenCounter(), token.counter(), session.lastRefreshedAt(), now);
        if (decision instanceof RefreshDecision.Rotate rotate) {
            Optional<TokenGrant> grant = sessions.compareAndSetCounter(session.id(), rotate.expectedCounter(),
                            rotate.nextCounter(), now, command.userAgent(), command.ip())
                    .map(updated -> grants.issue(updated, user, context.claims(), now, List.of(), false));
            grant.ifPresent(issued -> events.rotated());
            return grant;
        }
        if (decision instanceof RefreshDecision.ReuseAllowed reuse) {
            sessions.recordReuse(session.id(), now, command.userAgent(), command.ip());
            TokenGrant grant = grants.issue(session, user, context.claims(), now, reuse.causes(), true);
            events.reuseAllowed(reuse.causes());
            return Optional.of(grant);
        }
        if (decision instanceof RefreshDecision.ReuseRejected rejected) {
            if (rejected.terminateSession()) {
                sessions.delete(session.id());
            }
            events.reuseRejected(rejected.terminateSession());
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used");
        }
        throw Rejection.validation("Invalid Refresh Token: Not Issued By This Server");
    }
}
