package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.port.out.SessionRepository.LegacyRefresh;
import dev.authsessions.application.port.out.SessionRepository.LegacyRefreshResult;
import dev.authsessions.application.port.out.SessionRepository.LegacyTokenContext;
import dev.authsessions.application.port.out.SessionRepositoryContract.Repositories;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.IssuedLegacyToken;
import dev.authsessions.domain.LegacyRefreshDecision;
import dev.authsessions.domain.LegacyRefreshToken;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The v1 (legacy) part of {@link SessionRepository}, on rows written as GoTrue writes them, run against every
 * implementation: loading a token with its session, and {@link SessionRepository#refreshLegacy} applying GoTrue's
 * rules atomically (swap, the active token again, refusal with the family revoked, the move to v2).
 */
public abstract class LegacySessionRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final RefreshTokenRules RULES = new RefreshTokenRules(true, Duration.ofSeconds(10), false);

    protected abstract Repositories createRepositories();

    /** Stores a session without HMAC key and counter, with a password claim, as GoTrue's v1 sign-in does. */
    protected abstract void insertLegacySession(Session session);

    /** Stores a row of {@code auth.refresh_tokens} as GoTrue does ({@code created_at = updated_at = at}). */
    protected abstract void insertLegacyToken(String token, UserId user, boolean revoked, Instant at, String parent, SessionId session);

    /** The session's rows of {@code auth.refresh_tokens}, oldest first. */
    protected abstract List<IssuedLegacyToken> legacyTokensOf(SessionId session);

    private final Random random = new java.security.SecureRandom();
    private SessionRepository sessions;
    private UserRepository users;
    private User alice;

    @BeforeEach
    void createRepositoriesAndUser() {
        Repositories repositories = createRepositories();
        sessions = repositories.sessions();
        users = repositories.users();
        alice = users.upsert(new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated",
                "alice@example.com", "", Map.of("provider", "email"), Map.of(), false, null, T0, T0, false)).user();
    }

    private String newToken() {
        byte[] bytes = new byte[LegacyRefreshToken.RANDOM_BYTES];
        random.nextBytes(bytes);
        return LegacyRefreshToken.fromRandomBytes(bytes).value();
    }

    private HmacKey newKey() {
        byte[] bytes = new byte[HmacKey.LENGTH];
        random.nextBytes(bytes);
        return HmacKey.of(bytes);
    }

    private Session legacySession() {
        Session session = new Session(new SessionId(UUID.randomUUID()), alice.id(), T0, T0, null, Aal.AAL1, null, null,
                "ua-before", "192.0.2.1", null, null, null, 0, null);
        insertLegacySession(session);
        return session;
    }

    private LegacyRefresh refresh(Session session, String presented, Instant now, Optional<HmacKey> upgrade) {
        return new LegacyRefresh(new LegacyRefreshToken(presented), session.id(), RULES,
                new LegacyRefreshToken(newToken()), upgrade, now, "ua-after", "198.51.100.7");
    }

    @Test
    void aTokenIsLoadedWithItsSessionUserAndClaimsAndALegacySessionReadsAsLegacy() {
        Session session = legacySession();
        String token = newToken();
        insertLegacyToken(token, alice.id(), false, T0, null, session.id());

        LegacyTokenContext context = sessions.loadForLegacyRefresh(new LegacyRefreshToken(token)).orElseThrow();

        assertEquals(token, context.token().token());
        assertFalse(context.token().revoked());
        assertEquals(T0, context.token().updatedAt());
        assertEquals(alice.id(), context.user().id());
        assertEquals(session, context.session().orElseThrow().session());
        assertTrue(context.session().get().session().isLegacy());
        assertEquals(List.of(AuthenticationMethod.PASSWORD),
                context.session().get().claims().stream().map(AmrClaim::method).toList());
        assertEquals(Optional.of(session), sessions.findById(session.id()));
        assertEquals(List.of(session), sessions.listOfUser(alice.id()));
        assertTrue(sessions.loadForLegacyRefresh(new LegacyRefreshToken(newToken())).isEmpty());
    }

    @Test
    void aTokenWithoutSessionComesWithItsUserAndCanBeDeleted() {
        String token = newToken();
        insertLegacyToken(token, alice.id(), false, T0, null, null);

        LegacyTokenContext context = sessions.loadForLegacyRefresh(new LegacyRefreshToken(token)).orElseThrow();
        assertEquals(alice.id(), context.user().id());
        assertTrue(context.session().isEmpty());

        sessions.deleteLegacyToken(context.token());
        assertTrue(sessions.loadForLegacyRefresh(new LegacyRefreshToken(token)).isEmpty());
    }

    @Test
    void aSwapRevokesThePresentedTokenInsertsItsChildAndRecordsTheRefresh() {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        Instant now = T0.plusSeconds(60);
        LegacyRefresh refresh = refresh(session, root, now, Optional.empty());

        LegacyRefreshResult result = sessions.refreshLegacy(refresh).orElseThrow();

        assertEquals(new LegacyRefreshDecision.Swap(), result.decision());
        assertEquals(refresh.child().value(), result.refreshToken());
        assertFalse(result.v2());
        assertTrue(result.session().isLegacy());
        assertEquals(now, result.session().refreshedAt());
        assertEquals("ua-after", result.session().userAgent());
        assertEquals("198.51.100.7", result.session().ip());
        List<IssuedLegacyToken> rows = legacyTokensOf(session.id());
        assertEquals(2, rows.size());
        assertEquals(new IssuedLegacyToken(rows.get(0).id(), root, true, now, null), rows.get(0));
        assertEquals(new IssuedLegacyToken(rows.get(1).id(), refresh.child().value(), false, now, root), rows.get(1));
        assertEquals(Optional.of(result.session()), sessions.findById(session.id()));
    }

    @Test
    void theRevokedParentOfTheActiveTokenGetsItBackAndNothingIsWrittenButTheRefreshTime() {
        Session session = legacySession();
        String root = newToken();
        String child = newToken();
        insertLegacyToken(root, alice.id(), true, T0, null, session.id());
        insertLegacyToken(child, alice.id(), false, T0, root, session.id());
        Instant muchLater = T0.plus(Duration.ofHours(5));

        LegacyRefreshResult result = sessions.refreshLegacy(refresh(session, root, muchLater, Optional.empty())).orElseThrow();

        assertInstanceOf(LegacyRefreshDecision.ReturnActive.class, result.decision());
        assertEquals(child, result.refreshToken());
        assertEquals(2, legacyTokensOf(session.id()).size());
        assertEquals(muchLater, result.session().refreshedAt());
    }

    @Test
    void aRevokedTokenOutsideTheIntervalIsRefusedTheFamilyRevokedAndTheSessionKept() {
        Session session = legacySession();
        String root = newToken();
        String child = newToken();
        insertLegacyToken(root, alice.id(), true, T0, null, session.id());
        insertLegacyToken(child, alice.id(), true, T0, root, session.id());
        String grandchild = newToken();
        insertLegacyToken(grandchild, alice.id(), false, T0, child, session.id());
        Instant now = T0.plusSeconds(11);

        LegacyRefreshResult result = sessions.refreshLegacy(refresh(session, root, now, Optional.empty())).orElseThrow();

        assertEquals(new LegacyRefreshDecision.Rejected(true), result.decision());
        assertNull(result.refreshToken());
        List<IssuedLegacyToken> rows = legacyTokensOf(session.id());
        assertEquals(3, rows.size());
        assertTrue(rows.stream().allMatch(IssuedLegacyToken::revoked));
        assertEquals(now, rows.get(2).updatedAt(), "the newly revoked row records when");
        assertEquals(T0, rows.get(0).updatedAt(), "rows already revoked keep their time");
        assertEquals(Optional.of(session), sessions.findById(session.id()), "GoTrue keeps the session row");
    }

    @Test
    void anUpgradeMovesTheSessionToV2AndItsSwappedTokenGetsTheSameV2TokenInsideTheInterval() {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        HmacKey key = newKey();
        Instant now = T0.plusSeconds(60);

        LegacyRefreshResult upgraded = sessions.refreshLegacy(refresh(session, root, now, Optional.of(key))).orElseThrow();

        assertEquals(new LegacyRefreshDecision.Swap(), upgraded.decision());
        assertTrue(upgraded.v2());
        assertFalse(upgraded.session().isLegacy());
        assertEquals(key, upgraded.session().refreshTokenHmacKey());
        assertEquals(0, upgraded.session().refreshTokenCounter());
        assertEquals(RefreshToken.encode(session.id(), 0, key), upgraded.refreshToken());
        List<IssuedLegacyToken> rows = legacyTokensOf(session.id());
        assertEquals(2, rows.size());
        assertTrue(rows.get(1).revoked(), "GoTrue writes the v1 child and marks it revoked");
        assertEquals(root, rows.get(1).parent());
        assertEquals(Optional.of(upgraded.session()), sessions.loadForRefresh(session.id()).map(c -> c.session()));

        LegacyRefreshResult again = sessions.refreshLegacy(refresh(session, root, now.plusSeconds(5), Optional.of(newKey())))
                .orElseThrow();
        assertEquals(new LegacyRefreshDecision.ReturnCurrentV2(), again.decision());
        assertEquals(upgraded.refreshToken(), again.refreshToken());
        assertEquals(2, legacyTokensOf(session.id()).size());

        LegacyRefreshResult late = sessions.refreshLegacy(refresh(session, root, now.plusSeconds(11), Optional.of(newKey())))
                .orElseThrow();
        assertEquals(new LegacyRefreshDecision.Rejected(true), late.decision());
        assertEquals(key, sessions.findById(session.id()).orElseThrow().refreshTokenHmacKey());
    }

    @Test
    void aLiveV1TokenOfASessionAlreadyOnV2AdvancesItsCounterWhenUpgraded() {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        HmacKey key = newKey();
        sessions.refreshLegacy(refresh(session, root, T0.plusSeconds(1), Optional.of(key))).orElseThrow();
        String live = newToken();
        insertLegacyToken(live, alice.id(), false, T0.plusSeconds(2), null, session.id());

        LegacyRefreshResult result = sessions.refreshLegacy(refresh(session, live, T0.plusSeconds(3), Optional.of(newKey())))
                .orElseThrow();

        assertEquals(1, result.session().refreshTokenCounter());
        assertEquals(key, result.session().refreshTokenHmacKey(), "the session's key stays");
        assertEquals(RefreshToken.encode(session.id(), 1, key), result.refreshToken());
    }

    @Test
    void aStepUpMovesALegacySessionToV2AndDeletesItsV1Tokens() {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        HmacKey key = newKey();

        SessionRepository.SessionContext up = sessions.stepUp(session.id(), new FactorId(UUID.randomUUID()),
                AuthenticationMethod.TOTP, key, T0.plusSeconds(5)).orElseThrow();

        assertEquals(0, up.session().refreshTokenCounter());
        assertEquals(key, up.session().refreshTokenHmacKey());
        assertEquals(Aal.AAL2, up.session().aal());
        assertEquals(List.of(), legacyTokensOf(session.id()));
        assertTrue(sessions.loadForLegacyRefresh(new LegacyRefreshToken(root)).isEmpty());
    }

    @Test
    void aGoneSessionOrTokenIsEmptyAndDeletingTheSessionTakesItsTokens() {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        assertTrue(sessions.refreshLegacy(refresh(session, newToken(), T0, Optional.empty())).isEmpty());

        sessions.delete(session.id());

        assertTrue(sessions.refreshLegacy(refresh(session, root, T0, Optional.empty())).isEmpty());
        assertTrue(sessions.loadForLegacyRefresh(new LegacyRefreshToken(root)).isEmpty());
    }

    @Test
    void concurrentRefreshesOfOneTokenMakeOneChildThatAllOfThemAnswer() throws Exception {
        Session session = legacySession();
        String root = newToken();
        insertLegacyToken(root, alice.id(), false, T0, null, session.id());
        int threads = 16;
        List<LegacyRefresh> refreshes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            refreshes.add(refresh(session, root, T0.plusSeconds(30), Optional.empty()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<LegacyRefreshResult>> futures = new ArrayList<>();
            for (LegacyRefresh refresh : refreshes) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return sessions.refreshLegacy(refresh).orElseThrow();
                }));
            }
            start.countDown();
            Set<String> answers = new HashSet<>();
            int swaps = 0;
            for (Future<LegacyRefreshResult> future : futures) {
                LegacyRefreshResult result = future.get(30, TimeUnit.SECONDS);
                answers.add(result.refreshToken());
                swaps += result.decision() instanceof LegacyRefreshDecision.Swap ? 1 : 0;
            }
            assertEquals(1, swaps);
            assertEquals(1, answers.size());
            List<IssuedLegacyToken> rows = legacyTokensOf(session.id());
            assertEquals(2, rows.size());
            assertEquals(answers.iterator().next(), rows.get(1).token());
        } finally {
            pool.shutdownNow();
        }
    }
}
