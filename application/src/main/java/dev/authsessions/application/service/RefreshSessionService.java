package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.SecureRandomSource;
import dev.authsessions.application.port.out.SessionEvents;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.SessionRepository.LegacyRefresh;
import dev.authsessions.application.port.out.SessionRepository.LegacyRefreshResult;
import dev.authsessions.application.port.out.SessionRepository.LegacyTokenContext;
import dev.authsessions.application.port.out.SessionRepository.SessionContext;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.InvalidRefreshTokenException;
import dev.authsessions.domain.LegacyRefreshDecision;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.RefreshDecision;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.ReuseCause;
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
 *
 * <p>A token of exactly 12 characters is a legacy (v1) token, as in GoTrue: well-formed ones (12 lowercase
 * alphanumerics) are looked up in {@code auth.refresh_tokens}, checked by the same session rules, and
 * refreshed by {@link SessionRepository#refreshLegacy} under GoTrue's v1 rules, which may move the session
 * to v2 ({@link SessionSettings#refreshTokenUpgrade()}).
 */
public final class RefreshSessionService implements RefreshSessionUseCase {
    private final SessionRepository sessions;
    private final ClientAuthentication clientAuthentication;
    private final Clock clock;
    private final SessionSettings settings;
    private final GrantIssuer grants;
    private final Optional<SinglePerUserRule> singlePerUser;
    private final SessionEvents events;
    private final SecureRandomSource random;

    public RefreshSessionService(
            SessionRepository sessions,
            ClientAuthentication clientAuthentication,
            AccessTokenSigner signer,
            Clock clock,
            SessionSettings settings,
            SessionEvents events,
            SecureRandomSource random) {
        this.sessions = sessions;
        this.random = random;
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
        if (LegacyRefreshToken.hasLegacyLength(command.refreshToken())) {
            return refreshLegacy(LegacyRefreshToken.parse(command.refreshToken())
                    .orElseThrow(() -> Rejection.validation("Refresh token is not valid")), command);
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
            // A session still on v1 tokens has no key: no v2 token can name it (GoTrue: "as if it doesn't exist").
            Optional<SessionContext> loaded = sessions.loadForRefresh(token.sessionId())
                    .filter(c -> !c.session().isLegacy() && token.isSignedBy(c.session().refreshTokenHmacKey()));
            if (loaded.isEmpty()) {
                Rejection notFound = tokenNotFound();
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
        try {
            checkBanned(user, now);
        } catch (Rejection banned) {
            throw banned.concerning(user.id(), sessionNamed ? context.session().id() : null);
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
        checkSession(session, user, command, now);

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

    private static Rejection tokenNotFound() {
        return Rejection.badRequest(ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
    }

    private static void checkBanned(User user, Instant now) {
        if (user.isBannedAt(now)) {
            throw Rejection.badRequest(ErrorCode.USER_BANNED, "Invalid Refresh Token: User Banned");
        }
    }

    /** The session rules every refresh passes, v1 or v2: validity, client authentication, single per user. */
    private void checkSession(Session session, User user, Command command, Instant now) {
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
    }

    /**
     * GoTrue's v1 refresh. The session rules see the session as GoTrue does with a v1 token (never refreshed:
     * last active when the token last changed); the decision and its writes happen in one short step of the
     * repository under the session's row lock, so concurrent refreshes of one token (here, in another
     * instance, or in GoTrue) settle on one child that all of them answer with.
     */
    private TokenGrant refreshLegacy(LegacyRefreshToken token, Command command) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        LegacyTokenContext loaded = sessions.loadForLegacyRefresh(token).orElseThrow(RefreshSessionService::tokenNotFound);
        // As for v2 tokens, the user is named once the token has led to one, the session only past the ban check.
        try {
            checkBanned(loaded.user(), now);
        } catch (Rejection banned) {
            throw banned.concerning(loaded.user().id(), null);
        }
        if (loaded.session().isEmpty()) {
            sessions.deleteLegacyToken(loaded.token());
            throw Rejection.badRequest(ErrorCode.SESSION_NOT_FOUND, "Invalid Refresh Token: No Valid Session Found")
                    .concerning(loaded.user().id(), null);
        }
        SessionContext context = loaded.session().get();
        try {
            return refreshLegacy(token, command, loaded, context, now);
        } catch (Rejection refusal) {
            throw refusal.concerning(context.user().id(), context.session().id());
        }
    }

    /** The v1 refresh of a token whose session exists and whose user is not banned; refusals are named by the caller. */
    private TokenGrant refreshLegacy(LegacyRefreshToken token, Command command, LegacyTokenContext loaded,
            SessionContext context, Instant now) {
        User user = context.user();
        checkSession(context.session().asRefreshedByLegacyTokenAt(loaded.token().updatedAt()), user, command, now);

        Optional<HmacKey> upgradeKey = settings.refreshTokenUpgrade().upgrades(context.session().id())
                ? Optional.of(HmacKey.of(random.nextBytes(HmacKey.LENGTH)))
                : Optional.empty();
        LegacyRefreshToken child = LegacyRefreshToken.fromRandomBytes(random.nextBytes(LegacyRefreshToken.RANDOM_BYTES));
        LegacyRefreshResult result = sessions.refreshLegacy(new LegacyRefresh(token, context.session().id(),
                        settings.refreshTokenRules(), child, upgradeKey, now, command.userAgent(), command.ip()))
                .orElseThrow(RefreshSessionService::tokenNotFound);
        if (result.decision() instanceof LegacyRefreshDecision.Rejected) {
            events.reuseRejected(false);
            throw Rejection.badRequest(ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used");
        }
        boolean reused = !(result.decision() instanceof LegacyRefreshDecision.Swap);
        List<ReuseCause> causes = result.decision() instanceof LegacyRefreshDecision.ReturnCurrentV2
                ? List.of(ReuseCause.CONCURRENT_REFRESH) : List.of();
        TokenGrant grant = grants.issue(result.session(), user, context.claims(), now, result.refreshToken(),
                !result.v2(), causes, reused);
        if (reused) {
            events.reuseAllowed(causes);
        } else {
            events.rotated();
        }
        return grant;
    }
}
