package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.ForwardingSessionRepository;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.RefreshSessionUseCase.Command;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.TokenGrant;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.ReuseCause;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshSessionServiceTest {
    private static final Duration OUTSIDE_REUSE_INTERVAL = Duration.ofSeconds(11);

    private final RecordingSessionEvents events = new RecordingSessionEvents();
    private InMemoryPorts ports;
    private User alice;
    private RefreshSessionService service;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
        service = service(SessionSettings.defaults());
    }

    private RefreshSessionService service(SessionSettings settings) {
        return service(ports.sessions(), settings);
    }

    private RefreshSessionService service(SessionRepository sessions, SessionSettings settings) {
        return new RefreshSessionService(sessions, new ClientAuthentication(ports.clients()), ports.signer(),
                ports.clock(), settings, events, ports.random());
    }

    private static SessionSettings withRules(RefreshTokenRules rules) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(d.accessTokenLifetime(), rules, d.sessionPolicy(), false, List.of());
    }

    private static SessionSettings withPolicy(SessionPolicy policy) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(d.accessTokenLifetime(), d.refreshTokenRules(), policy, false, List.of());
    }

    private TokenGrant start() {
        return start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.PASSWORD, null, null, null,
                "Mozilla/5.0", "192.0.2.10", null, null, null));
    }

    private TokenGrant start(StartSessionUseCase.Command command) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults()).start(command);
    }

    private static Command command(String refreshToken) {
        return new Command(refreshToken, "RefreshingAgent/2.0", "198.51.100.20", null, null);
    }

    private Session stored(TokenGrant grant) {
        return ports.sessions().findById(grant.session().id()).orElseThrow();
    }

    private static Rejection assertRejected(RefreshSessionService service, String token, Rejection.Kind kind,
            ErrorCode code, String message) {
        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(command(token)));
        assertEquals(kind, rejection.kind());
        assertEquals(code, rejection.code());
        assertEquals(message, rejection.getMessage());
        return rejection;
    }

    // ---- parsing and lookup --------------------------------------------------------------------------------

    @Test
    void aMalformedTokenIsRefusedWithoutAnyRepositoryCall() {
        String valid = start().refreshToken();
        char[] tampered = valid.toCharArray();
        tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        RefreshSessionService recorded = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            protected void onCall(String method) {
                calls.add(method);
            }
        }, SessionSettings.defaults());

        for (String malformed : List.of("not-a-token", "abc", new String(tampered), valid + "AA", valid + "=",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", valid.replace('-', '+').replace('_', '/'))) {
            if (malformed.equals(valid)) {
                continue;
            }
            assertRejected(recorded, malformed, Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
                    "Refresh token is not valid");
        }
        assertEquals(List.of(), calls);
    }

    @Test
    void aMissingTokenIsAValidationFailureWithoutAnyRepositoryCall() {
        AtomicInteger calls = new AtomicInteger();
        RefreshSessionService recorded = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            protected void onCall(String method) {
                calls.incrementAndGet();
            }
        }, SessionSettings.defaults());

        for (String missing : new String[] {null, ""}) {
            Rejection rejection = assertThrows(Rejection.class, () -> recorded.refresh(command(missing)));
            assertEquals(ErrorCode.VALIDATION_FAILED, rejection.code());
        }
        assertEquals(0, calls.get());
    }

    @Test
    void aTokenOfAnUnknownSessionIsNotFound() {
        byte[] key = ports.random().nextBytes(HmacKey.LENGTH);
        String token = RefreshToken.encode(new SessionId(UUID.randomUUID()), 0, HmacKey.of(key));

        assertRejected(service, token, Rejection.Kind.BAD_REQUEST, ErrorCode.REFRESH_TOKEN_NOT_FOUND,
                "Invalid Refresh Token: Refresh Token Not Found");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsNotFoundAndChangesNothing() {
        TokenGrant grant = start();
        String forged = RefreshToken.encode(grant.session().id(), 0, HmacKey.of(ports.random().nextBytes(32)));

        assertRejected(service, forged, Rejection.Kind.BAD_REQUEST, ErrorCode.REFRESH_TOKEN_NOT_FOUND,
                "Invalid Refresh Token: Refresh Token Not Found");
        assertEquals(grant.session(), stored(grant));
    }

    @Test
    void aTokenOfADeletedSessionIsNotFound() {
        TokenGrant grant = start();
        ports.sessions().delete(grant.session().id());

        assertRejected(service, grant.refreshToken(), Rejection.Kind.BAD_REQUEST,
                ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
    }

    @Test
    void aTokenOfASoftDeletedUserIsNotFound() {
        TokenGrant grant = start();
        ports.users().softDelete(alice.id(), ports.clock().peek());

        assertRejected(service, grant.refreshToken(), Rejection.Kind.BAD_REQUEST,
                ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
    }

    // ---- rotation ------------------------------------------------------------------------------------------

    @Test
    void eachRefreshRotatesToANewTokenAndRaisesTheCounterByOne() {
        TokenGrant started = start();
        ports.clock().advance(Duration.ofMinutes(1));
        Instant firstRefresh = ports.clock().peek();

        TokenGrant first = service.refresh(command(started.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant second = service.refresh(command(first.refreshToken()));

        assertEquals(3, Set.of(started.refreshToken(), first.refreshToken(), second.refreshToken()).size());
        assertEquals(1, RefreshToken.parse(first.refreshToken()).counter());
        assertEquals(2, RefreshToken.parse(second.refreshToken()).counter());
        assertEquals(1, first.session().refreshTokenCounter());
        assertEquals(firstRefresh, first.session().refreshedAt());
        assertFalse(first.reused());
        assertEquals(List.of(), first.reuseCauses());
        assertFalse(second.reused());
        Session stored = stored(started);
        assertEquals(2, stored.refreshTokenCounter());
        assertEquals(stored.currentRefreshToken(), second.refreshToken());
        assertEquals("RefreshingAgent/2.0", stored.userAgent());
        assertEquals("198.51.100.20", stored.ip());
        assertEquals(ports.clock().peek(), stored.refreshedAt());
        assertNotEquals(first.accessToken(), second.accessToken());
        assertEquals(started.session().id(), ports.signer().claimsOf(second.accessToken()).orElseThrow().sessionId());
        assertEquals(List.of("rotated", "rotated"), events.events());
    }

    @Test
    void theAccessTokenListsTheSessionsClaimsNewestFirst() {
        Instant started = ports.clock().peek();
        TokenGrant grant = start();
        Instant later = ports.clock().advance(Duration.ofMinutes(2));
        ports.sessions().addClaim(grant.session().id(), new AmrClaim(AuthenticationMethod.TOTP, later));

        TokenGrant refreshed = service.refresh(command(grant.refreshToken()));

        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, later),
                        new AmrClaim(AuthenticationMethod.PASSWORD, started)),
                ports.signer().claimsOf(refreshed.accessToken()).orElseThrow().amr());
    }

    @Test
    void thePreviousTokenReusedOnceGetsTheCurrentTokenWithoutRaisingTheCounter() {
        TokenGrant started = start();
        TokenGrant first = service.refresh(command(started.refreshToken()));
        ports.clock().advance(OUTSIDE_REUSE_INTERVAL);

        TokenGrant reused = service.refresh(command(started.refreshToken()));

        assertEquals(first.refreshToken(), reused.refreshToken());
        assertTrue(reused.reused());
        assertEquals(List.of(ReuseCause.FAIL_TO_SAVE), reused.reuseCauses());
        Session stored = stored(started);
        assertEquals(1, stored.refreshTokenCounter());
        assertEquals(ports.clock().peek(), stored.refreshedAt(), "an allowed reuse is recorded as a refresh");
        assertEquals(List.of("rotated", "reuse-allowed fail-to-save"), events.events());
    }

    @Test
    void thePreviousTokenReusedInsideTheIntervalCitesBothCauses() {
        TokenGrant started = start();
        TokenGrant first = service.refresh(command(started.refreshToken()));

        TokenGrant reused = service.refresh(command(started.refreshToken()));

        assertEquals(first.refreshToken(), reused.refreshToken());
        assertEquals(Set.of(ReuseCause.FAIL_TO_SAVE, ReuseCause.CONCURRENT_REFRESH), Set.copyOf(reused.reuseCauses()));
        assertEquals(1, stored(started).refreshTokenCounter());
    }

    @Test
    void aTokenTwoBehindInsideTheReuseIntervalIsAllowedAsAConcurrentRefresh() {
        TokenGrant started = start();
        ports.clock().advance(Duration.ofSeconds(30));
        TokenGrant first = service.refresh(command(started.refreshToken()));
        ports.clock().advance(Duration.ofSeconds(30));
        TokenGrant second = service.refresh(command(first.refreshToken()));
        ports.clock().advance(Duration.ofSeconds(9));

        TokenGrant reused = service.refresh(command(started.refreshToken()));

        assertEquals(second.refreshToken(), reused.refreshToken());
        assertTrue(reused.reused());
        assertEquals(List.of(ReuseCause.CONCURRENT_REFRESH), reused.reuseCauses());
        assertEquals(2, stored(started).refreshTokenCounter());
        assertEquals(List.of("rotated", "rotated", "reuse-allowed concurrent-refresh"), events.events());
    }

    @Test
    void aTokenTwoBehindOutsideTheIntervalEndsTheSessionWhenRotationIsOn() {
        TokenGrant started = start();
        TokenGrant first = service.refresh(command(started.refreshToken()));
        TokenGrant second = service.refresh(command(first.refreshToken()));
        ports.clock().advance(OUTSIDE_REUSE_INTERVAL);

        assertRejected(service, started.refreshToken(), Rejection.Kind.BAD_REQUEST,
                ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used");

        assertEquals(Optional.empty(), ports.sessions().findById(started.session().id()));
        assertRejected(service, second.refreshToken(), Rejection.Kind.BAD_REQUEST,
                ErrorCode.REFRESH_TOKEN_NOT_FOUND, "Invalid Refresh Token: Refresh Token Not Found");
        assertEquals(List.of("rotated", "rotated", "reuse-rejected session-ended"), events.events(),
                "an unknown session is no event");
    }

    @Test
    void aTokenTwoBehindOutsideTheIntervalKeepsTheSessionWhenRotationIsOff() {
        RefreshSessionService noRotation = service(withRules(new RefreshTokenRules(false, Duration.ofSeconds(10), false)));
        TokenGrant started = start();
        TokenGrant first = noRotation.refresh(command(started.refreshToken()));
        TokenGrant second = noRotation.refresh(command(first.refreshToken()));
        ports.clock().advance(OUTSIDE_REUSE_INTERVAL);

        assertRejected(noRotation, started.refreshToken(), Rejection.Kind.BAD_REQUEST,
                ErrorCode.REFRESH_TOKEN_ALREADY_USED, "Invalid Refresh Token: Already Used");

        assertEquals(2, stored(started).refreshTokenCounter());
        TokenGrant third = noRotation.refresh(command(second.refreshToken()));
        assertEquals(3, RefreshToken.parse(third.refreshToken()).counter());
        assertEquals(List.of("rotated", "rotated", "reuse-rejected session-kept", "rotated"), events.events());
    }

    @Test
    void alwaysAllowedReuseAnswersAnyOldTokenWithTheCurrentOne() {
        RefreshSessionService allowing = service(withRules(new RefreshTokenRules(true, Duration.ofSeconds(10), true)));
        TokenGrant started = start();
        TokenGrant first = allowing.refresh(command(started.refreshToken()));
        TokenGrant second = allowing.refresh(command(first.refreshToken()));
        TokenGrant third = allowing.refresh(command(second.refreshToken()));
        ports.clock().advance(Duration.ofDays(2));

        TokenGrant reused = allowing.refresh(command(started.refreshToken()));

        assertEquals(third.refreshToken(), reused.refreshToken());
        assertEquals(List.of(ReuseCause.ALWAYS_ALLOW), reused.reuseCauses());
        assertEquals(3, stored(started).refreshTokenCounter());
        assertEquals("reuse-allowed always-allow", events.events().get(3));
    }

    @Test
    void aCounterAheadOfTheStoredOneWasNotIssuedByThisServer() {
        TokenGrant started = start();
        Session session = stored(started);
        String ahead = RefreshToken.encode(session.id(), 5, session.refreshTokenHmacKey());

        assertRejected(service, ahead, Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
                "Invalid Refresh Token: Not Issued By This Server");

        assertEquals(session, stored(started));
        assertEquals(List.of(), events.events());
    }

    // ---- user and session validity -------------------------------------------------------------------------

    @Test
    void aBannedUserCannotRefresh() {
        TokenGrant started = start();
        ports.ban(alice.id(), ports.clock().peek().plus(Duration.ofHours(1)));

        assertRejected(service, started.refreshToken(), Rejection.Kind.BAD_REQUEST, ErrorCode.USER_BANNED,
                "Invalid Refresh Token: User Banned");
        assertEquals(0, stored(started).refreshTokenCounter());
    }

    @Test
    void aSessionPastNotAfterHasExpired() {
        Instant notAfter = ports.clock().peek().plus(Duration.ofHours(1));
        TokenGrant started = start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.PASSWORD, null,
                null, notAfter, "ua", "192.0.2.1", null, null, null));
        ports.clock().setInstant(notAfter);
        TokenGrant atTheLimit = service.refresh(command(started.refreshToken()));
        ports.clock().advance(Duration.ofNanos(1_000));

        assertRejected(service, atTheLimit.refreshToken(), Rejection.Kind.BAD_REQUEST, ErrorCode.SESSION_EXPIRED,
                "Invalid Refresh Token: Session Expired");
        assertEquals(1, stored(started).refreshTokenCounter());
        assertEquals(List.of("rotated", "expired PAST_NOT_AFTER"), events.events());
    }

    @Test
    void aSessionPastTheTimeboxHasExpired() {
        RefreshSessionService timeboxed = service(withPolicy(
                new SessionPolicy(Optional.of(Duration.ofHours(1)), Optional.empty(), Optional.empty())));
        TokenGrant started = start();
        ports.clock().advance(Duration.ofMinutes(59));
        TokenGrant refreshed = timeboxed.refresh(command(started.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(2));

        assertRejected(timeboxed, refreshed.refreshToken(), Rejection.Kind.BAD_REQUEST, ErrorCode.SESSION_EXPIRED,
                "Invalid Refresh Token: Session Expired");
        assertTrue(ports.sessions().findById(started.session().id()).isPresent(), "expiry does not delete");
        assertEquals(List.of("rotated", "expired PAST_TIMEBOX"), events.events());
    }

    @Test
    void aSessionInactiveLongerThanTheTimeoutHasExpired() {
        RefreshSessionService inactivity = service(withPolicy(
                new SessionPolicy(Optional.empty(), Optional.of(Duration.ofMinutes(30)), Optional.empty())));
        TokenGrant started = start();
        ports.clock().advance(Duration.ofMinutes(25));
        TokenGrant first = inactivity.refresh(command(started.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(25));
        TokenGrant second = inactivity.refresh(command(first.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(31));

        assertRejected(inactivity, second.refreshToken(), Rejection.Kind.BAD_REQUEST, ErrorCode.SESSION_EXPIRED,
                "Invalid Refresh Token: Session Expired (Inactivity)");
        assertEquals(2, stored(started).refreshTokenCounter());
        assertEquals(List.of("rotated", "rotated", "expired INACTIVE"), events.events());
    }

    @Test
    void anAal1SessionOfAUserWithAFactorExpiresAfterTheLowAalGracePeriod() {
        RefreshSessionService lowAal = service(withPolicy(
                new SessionPolicy(Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10)))));
        TokenGrant aal1 = start();
        TokenGrant aal2 = start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.TOTP, Aal.AAL2,
                new FactorId(UUID.randomUUID()), null, "ua", "192.0.2.1", null, null, null));
        User carol = ports.newUser("carol@example.com");
        TokenGrant noFactor = start(new StartSessionUseCase.Command(carol.id(), AuthenticationMethod.PASSWORD, null,
                null, null, "ua", "192.0.2.1", null, null, null));
        ports.users().setVerifiedFactor(alice.id(), true);
        ports.clock().advance(Duration.ofMinutes(11));

        assertRejected(lowAal, aal1.refreshToken(), Rejection.Kind.BAD_REQUEST, ErrorCode.SESSION_EXPIRED,
                "Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)");
        assertEquals(List.of("expired LOW_AAL"), events.events());
        assertEquals(1, RefreshToken.parse(lowAal.refresh(command(aal2.refreshToken())).refreshToken()).counter());
        assertEquals(1, RefreshToken.parse(lowAal.refresh(command(noFactor.refreshToken())).refreshToken()).counter());
    }

    // ---- OAuth client sessions -----------------------------------------------------------------------------

    @Test
    void anOAuthSessionNeedsItsClientsCredentialsToRefresh() {
        OAuthClient client = ports.newConfidentialClient("web", ClientAuthentication.hashOf("s3cret"));
        TokenGrant started = start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.OAUTH, null,
                null, null, "ua", "192.0.2.1", null, client.id(), null));

        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(command(started.refreshToken())));
        assertEquals(ErrorCode.INVALID_CLIENT, rejection.code());
        Rejection wrong = assertThrows(Rejection.class, () -> service.refresh(
                new Command(started.refreshToken(), "ua", "192.0.2.1", client.id(), "wrong")));
        assertEquals(ErrorCode.INVALID_CLIENT, wrong.code());
        assertEquals(0, stored(started).refreshTokenCounter());

        TokenGrant refreshed = service.refresh(
                new Command(started.refreshToken(), "ua", "192.0.2.1", client.id(), "s3cret"));
        assertEquals(1, RefreshToken.parse(refreshed.refreshToken()).counter());
    }

    @Test
    void aPlainSessionRefusesClientCredentials() {
        TokenGrant started = start();

        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(
                new Command(started.refreshToken(), "ua", "192.0.2.1", new OAuthClientId(UUID.randomUUID()), null)));

        assertEquals(ErrorCode.INVALID_CLIENT, rejection.code());
        assertEquals(0, stored(started).refreshTokenCounter());
    }

    // ---- concurrency ---------------------------------------------------------------------------------------

    @Test
    void fiftyConcurrentRefreshesWithOneTokenAllGetTheSameNewTokenAndTheCounterRisesByOne() throws Exception {
        TokenGrant started = start();
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TokenGrant>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return service.refresh(command(started.refreshToken()));
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            go.countDown();
            Set<String> tokens = new HashSet<>();
            int rotations = 0;
            for (Future<TokenGrant> future : futures) {
                TokenGrant grant = future.get(60, TimeUnit.SECONDS);
                tokens.add(grant.refreshToken());
                if (!grant.reused()) {
                    rotations++;
                }
            }

            Session stored = stored(started);
            assertEquals(1, stored.refreshTokenCounter());
            assertEquals(Set.of(stored.currentRefreshToken()), tokens);
            assertEquals(1, rotations, "exactly one request rotated; the others were allowed reuses");
            assertEquals(threads, events.events().size(), "one event per answered request, none for a lost race");
            assertEquals(1, events.events().stream().filter("rotated"::equals).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCompareAndSetThatKeepsLosingEndsInConflictAfterTheDeadline() {
        TokenGrant started = start();
        AtomicInteger attempts = new AtomicInteger();
        SessionRepository alwaysLosing = new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<Session> compareAndSetCounter(
                    SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
                attempts.incrementAndGet();
                return Optional.empty();
            }
        };
        RefreshSessionService losing = service(alwaysLosing, SessionSettings.defaults());
        Instant before = ports.clock().peek();
        ports.clock().advanceOnEachRead(Duration.ofMillis(500));

        Rejection rejection = assertThrows(Rejection.class, () -> losing.refresh(command(started.refreshToken())));

        assertEquals(Rejection.Kind.CONFLICT, rejection.kind());
        assertEquals(ErrorCode.CONFLICT, rejection.code());
        assertTrue(attempts.get() > 1, "a lost compare-and-set is retried");
        assertTrue(Duration.between(before, ports.clock().peek()).compareTo(SessionSettings.MAX_REFRESH_WAIT) > 0,
                "it gives up only after the deadline");
        assertEquals(0, stored(started).refreshTokenCounter());
    }

    @Test
    void aFrozenClockCannotMakeTheRetryLoopSpinForever() {
        TokenGrant started = start();
        AtomicInteger attempts = new AtomicInteger();
        SessionRepository alwaysLosing = new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<Session> compareAndSetCounter(
                    SessionId id, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
                attempts.incrementAndGet();
                return Optional.empty();
            }
        };
        RefreshSessionService losing = service(alwaysLosing, SessionSettings.defaults());
        Instant frozen = ports.clock().peek();

        Rejection rejection = assertThrows(Rejection.class, () -> losing.refresh(command(started.refreshToken())));

        assertEquals(ErrorCode.CONFLICT, rejection.code());
        assertEquals(Rejection.Kind.CONFLICT, rejection.kind());
        assertEquals(SessionSettings.MAX_REFRESH_ATTEMPTS, attempts.get());
        assertEquals(frozen, ports.clock().peek());
        assertEquals(0, stored(started).refreshTokenCounter());
    }

    // ---- whom a refusal names (GoTrue's sb-auth-user-id / sb-auth-session-id on refresh errors) ------------

    private Rejection refused(RefreshSessionService refreshing, Command command) {
        return assertThrows(Rejection.class, () -> refreshing.refresh(command));
    }

    private void assertNames(Rejection rejection, User user, SessionId session) {
        assertEquals(Optional.ofNullable(user).map(User::id), rejection.userId(), rejection.getMessage());
        assertEquals(Optional.ofNullable(session), rejection.sessionId(), rejection.getMessage());
    }

    @Test
    void aRefusalNamesTheUserAndSessionExactlyWhereGoTrueHasNamedThem() {
        TokenGrant started = start();
        SessionId id = started.session().id();
        Session session = stored(started);

        assertNames(refused(service, command("not-a-token")), null, null);
        assertNames(refused(service, command(RefreshToken.encode(id, 0, HmacKey.of(ports.random().nextBytes(32))))), null, null);
        assertNames(refused(service, command(RefreshToken.encode(id, 7, session.refreshTokenHmacKey()))), alice, id);
        assertNames(refused(service, new Command(started.refreshToken(), "ua", "192.0.2.1", new OAuthClientId(UUID.randomUUID()), null)),
                alice, id);

        TokenGrant first = service.refresh(command(started.refreshToken()));
        service.refresh(command(first.refreshToken()));
        ports.clock().advance(OUTSIDE_REUSE_INTERVAL);
        Rejection reused = refused(service, command(started.refreshToken()));
        assertEquals(ErrorCode.REFRESH_TOKEN_ALREADY_USED, reused.code());
        assertNames(reused, alice, id);
        assertNames(refused(service, command(first.refreshToken())), null, null);

        TokenGrant expiring = start();
        RefreshSessionService timeboxed = service(withPolicy(new SessionPolicy(Optional.of(Duration.ofHours(1)), Optional.empty(), Optional.empty())));
        ports.clock().advance(Duration.ofHours(2));
        Rejection expired = refused(timeboxed, command(expiring.refreshToken()));
        assertEquals(ErrorCode.SESSION_EXPIRED, expired.code());
        assertNames(expired, alice, expiring.session().id());

        TokenGrant ofBanned = start();
        ports.ban(alice.id(), ports.clock().peek().plus(Duration.ofHours(1)));
        Rejection banned = refused(service, command(ofBanned.refreshToken()));
        assertEquals(ErrorCode.USER_BANNED, banned.code());
        assertNames(banned, alice, null);
    }

    @Test
    void aRefusalAfterALostRoundNamesTheSessionAsTheEarlierRoundDid() {
        TokenGrant started = start();
        SessionId id = started.session().id();
        AtomicInteger rounds = new AtomicInteger();
        SessionRepository losingThenGone = new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<Session> compareAndSetCounter(
                    SessionId session, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
                rounds.incrementAndGet();
                ports.ban(alice.id(), now.plus(Duration.ofHours(1)));
                return Optional.empty();
            }
        };
        Rejection banned = refused(service(losingThenGone, SessionSettings.defaults()), command(started.refreshToken()));
        assertEquals(1, rounds.get());
        assertEquals(ErrorCode.USER_BANNED, banned.code());
        assertNames(banned, alice, id);

        ports.ban(alice.id(), ports.clock().peek().minusSeconds(1));
        SessionRepository losingAndDeleted = new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<Session> compareAndSetCounter(
                    SessionId session, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
                ports.sessions().delete(session);
                return Optional.empty();
            }
        };
        Rejection gone = refused(service(losingAndDeleted, SessionSettings.defaults()), command(started.refreshToken()));
        assertEquals(ErrorCode.REFRESH_TOKEN_NOT_FOUND, gone.code());
        assertNames(gone, alice, id);

        TokenGrant other = start();
        SessionRepository alwaysLosing = new ForwardingSessionRepository(ports.sessions()) {
            @Override
            public Optional<Session> compareAndSetCounter(
                    SessionId session, long expectedCounter, long nextCounter, Instant now, String userAgent, String ip) {
                return Optional.empty();
            }
        };
        Rejection conflict = refused(service(alwaysLosing, SessionSettings.defaults()), command(other.refreshToken()));
        assertEquals(ErrorCode.CONFLICT, conflict.code());
        assertNames(conflict, alice, other.session().id());
    }
}
