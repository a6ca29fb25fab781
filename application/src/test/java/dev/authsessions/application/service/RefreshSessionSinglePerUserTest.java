package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The single-session-per-user rule (SPEC §3) as the refresh grant applies it. */
class RefreshSessionSinglePerUserTest {
    private static final String REVOKED = "Invalid Refresh Token: Session Expired (Revoked by Newer Login)";

    private final RecordingSessionEvents events = new RecordingSessionEvents();
    private InMemoryPorts ports;
    private User alice;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        alice = ports.newUser("alice@example.com");
    }

    private static SessionSettings single(List<String> tags) {
        return single(tags, SessionPolicy.NONE);
    }

    private static SessionSettings single(List<String> tags, SessionPolicy policy) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(d.accessTokenLifetime(), d.refreshTokenRules(), policy, true, tags);
    }

    private RefreshSessionService service(SessionSettings settings) {
        return service(ports.sessions(), settings);
    }

    private RefreshSessionService service(SessionRepository sessions, SessionSettings settings) {
        return new RefreshSessionService(sessions, new ClientAuthentication(ports.clients()), ports.signer(),
                ports.clock(), settings, events, ports.random());
    }

    private TokenGrant start(String tag) {
        return start(alice, tag, null, null);
    }

    private TokenGrant start(User user, String tag, Instant notAfter, OAuthClient client) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, notAfter,
                        "ua", "192.0.2.1", tag, client == null ? null : client.id(), null));
    }

    private static Command command(String token) {
        return new Command(token, "RefreshingAgent/2.0", "198.51.100.20", null, null);
    }

    private static void assertRevoked(RefreshSessionService service, String token) {
        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(command(token)));
        assertEquals(Rejection.Kind.BAD_REQUEST, rejection.kind());
        assertEquals(ErrorCode.SESSION_EXPIRED, rejection.code());
        assertEquals(REVOKED, rejection.getMessage());
    }

    private long counterOf(TokenGrant grant) {
        return ports.sessions().findById(grant.session().id()).orElseThrow().refreshTokenCounter();
    }

    private static long counter(TokenGrant grant) {
        return RefreshToken.parse(grant.refreshToken()).counter();
    }

    @Test
    void offByDefaultEverySessionRefreshesAndTheUsersSessionsAreNeverRead() {
        AtomicInteger listCalls = new AtomicInteger();
        RefreshSessionService service = service(new ForwardingSessionRepository(ports.sessions()) {
            @Override
            protected void onCall(String method) {
                if (method.equals("listOfUser")) {
                    listCalls.incrementAndGet();
                }
            }
        }, SessionSettings.defaults());
        TokenGrant older = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant newer = start(null);

        assertEquals(1, counter(service.refresh(command(older.refreshToken()))));
        assertEquals(1, counter(service.refresh(command(newer.refreshToken()))));
        assertEquals(0, listCalls.get());
    }

    @Test
    void withoutTagsANewerLoginRevokesTheOlderSessionWhateverItsTag() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant older = start("web");
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant newer = start("mobile");
        ports.clock().advance(Duration.ofMinutes(1));

        assertRevoked(service, older.refreshToken());
        assertEquals(0, counterOf(older), "nothing changed");

        TokenGrant refreshed = service.refresh(command(newer.refreshToken()));
        assertEquals(1, counter(refreshed));
        assertRevoked(service, older.refreshToken());
        assertEquals(List.of("revoked-by-newer-login", "rotated", "revoked-by-newer-login"), events.events());
    }

    @Test
    void aRefreshMakesASessionTheNewestAgainOnlyIfItIsAllowedToRefresh() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant first = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant second = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant secondRefreshed = service.refresh(command(second.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant third = start(null);
        ports.clock().advance(Duration.ofMinutes(1));

        assertRevoked(service, first.refreshToken());
        assertRevoked(service, secondRefreshed.refreshToken());
        assertEquals(1, counter(service.refresh(command(third.refreshToken()))));
    }

    @Test
    void withTagsOnlySessionsOfTheSameTagCompete() {
        RefreshSessionService service = service(single(List.of("web", "mobile")));
        TokenGrant webOld = start("web");
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant mobile = start("mobile");
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant webNew = start("web");
        ports.clock().advance(Duration.ofMinutes(1));

        assertRevoked(service, webOld.refreshToken());
        assertEquals(1, counter(service.refresh(command(mobile.refreshToken()))), "mobile is alone in its group");
        assertEquals(1, counter(service.refresh(command(webNew.refreshToken()))));
    }

    @Test
    void aMissingOrUnknownTagCountsAsTheFirstConfiguredTag() {
        RefreshSessionService service = service(single(List.of("web", "mobile")));
        TokenGrant untagged = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant unknown = start("tv");
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant mobile = start("mobile");
        ports.clock().advance(Duration.ofMinutes(1));

        assertRevoked(service, untagged.refreshToken());
        TokenGrant unknownRefreshed = service.refresh(command(unknown.refreshToken()));
        assertEquals(1, counter(unknownRefreshed), "the newest of the web group");
        assertEquals(1, counter(service.refresh(command(mobile.refreshToken()))));

        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant web = start("web");
        ports.clock().advance(Duration.ofMinutes(1));

        assertRevoked(service, unknownRefreshed.refreshToken());
        assertEquals(1, counter(service.refresh(command(web.refreshToken()))));
    }

    @Test
    void aNewerSessionPastItsNotAfterDoesNotRevokeAnOlderOne() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant older = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        start(alice, null, ports.clock().peek().plus(Duration.ofMinutes(5)), null);
        ports.clock().advance(Duration.ofMinutes(10));

        assertEquals(1, counter(service.refresh(command(older.refreshToken()))));
    }

    @Test
    void aNewerLowAalSessionOfAnMfaUserDoesNotRevokeTheOlderAal2One() {
        RefreshSessionService service = service(single(List.of(),
                new SessionPolicy(Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(10)))));
        TokenGrant aal2 = new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(alice.id(), AuthenticationMethod.TOTP, Aal.AAL2,
                        new FactorId(UUID.randomUUID()), null, "ua", "192.0.2.1", null, null, null));
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant aal1 = start(null);
        ports.users().setVerifiedFactor(alice.id(), true);
        ports.clock().advance(Duration.ofMinutes(5));

        assertRevoked(service, aal2.refreshToken());

        ports.clock().advance(Duration.ofMinutes(10));
        assertEquals(1, counter(service.refresh(command(aal2.refreshToken()))),
                "once the aal1 session is past the low-AAL grace period it no longer counts");
        Rejection lowAal = assertThrows(Rejection.class, () -> service.refresh(command(aal1.refreshToken())));
        assertEquals("Invalid Refresh Token: Session Expired (Low AAL: User Needs MFA Verification)", lowAal.getMessage());
    }

    @Test
    void otherUsersSessionsNeverCount() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant alices = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        start(ports.newUser("bob@example.com"), null, null, null);

        assertEquals(1, counter(service.refresh(command(alices.refreshToken()))));
    }

    @Test
    void whenTheNewerSessionEndsTheOlderOneMayRefreshAgain() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant older = start(null);
        ports.clock().advance(Duration.ofMinutes(1));
        TokenGrant newer = start(null);
        assertRevoked(service, older.refreshToken());

        ports.sessions().delete(newer.session().id());

        assertEquals(1, counter(service.refresh(command(older.refreshToken()))));
    }

    @Test
    void twoSessionsCreatedAtTheSameInstantHaveExactlyOneWinnerTheLargerId() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant a = start(null);
        TokenGrant b = start(null);
        TokenGrant winner = a.session().id().toString().compareTo(b.session().id().toString()) > 0 ? a : b;
        TokenGrant loser = winner == a ? b : a;

        assertRevoked(service, loser.refreshToken());
        assertEquals(1, counter(service.refresh(command(winner.refreshToken()))));
        assertRevoked(service, loser.refreshToken());
    }

    @Test
    void twoSessionsRefreshingAtOnceOnlyOnePasses() throws Exception {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant a = start(null);
        TokenGrant b = start(null);
        int perSession = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2 * perSession);
        try {
            CountDownLatch ready = new CountDownLatch(2 * perSession);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<TokenGrant>>> results = new ArrayList<>();
            for (int i = 0; i < 2 * perSession; i++) {
                String token = (i % 2 == 0 ? a : b).refreshToken();
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return Optional.of(service.refresh(command(token)));
                    } catch (Rejection rejection) {
                        assertEquals(REVOKED, rejection.getMessage());
                        return Optional.<TokenGrant>empty();
                    }
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            go.countDown();
            List<TokenGrant> passed = new ArrayList<>();
            for (Future<Optional<TokenGrant>> result : results) {
                result.get(60, TimeUnit.SECONDS).ifPresent(passed::add);
            }

            assertEquals(perSession, passed.size(), "every request of one session passes, none of the other");
            assertEquals(1, passed.stream().map(g -> g.session().id()).distinct().count());
            assertEquals(1, counterOf(passed.get(0)));
            TokenGrant loser = passed.get(0).session().id().equals(a.session().id()) ? b : a;
            assertEquals(0, counterOf(loser));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void validityIsCheckedBeforeTheRule() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant older = start(alice, null, ports.clock().peek().plus(Duration.ofMinutes(5)), null);
        ports.clock().advance(Duration.ofMinutes(1));
        start(null);
        ports.clock().advance(Duration.ofMinutes(10));

        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(command(older.refreshToken())));
        assertEquals("Invalid Refresh Token: Session Expired", rejection.getMessage());
    }

    @Test
    void clientAuthenticationIsCheckedBeforeTheRule() {
        RefreshSessionService service = service(single(List.of()));
        OAuthClient client = ports.newPublicClient("app");
        TokenGrant older = start(alice, null, null, client);
        ports.clock().advance(Duration.ofMinutes(1));
        start(null);

        Rejection rejection = assertThrows(Rejection.class, () -> service.refresh(command(older.refreshToken())));
        assertEquals(ErrorCode.INVALID_CLIENT, rejection.code());
        Rejection revoked = assertThrows(Rejection.class, () -> service.refresh(
                new Command(older.refreshToken(), "ua", "192.0.2.1", client.id(), null)));
        assertEquals(REVOKED, revoked.getMessage());
    }

    @Test
    void theRuleIsCheckedBeforeTheReuseDecisionSoARevokedSessionIsNotEndedByAnOldToken() {
        RefreshSessionService service = service(single(List.of()));
        TokenGrant older = start(null);
        TokenGrant first = service.refresh(command(older.refreshToken()));
        service.refresh(command(first.refreshToken()));
        ports.clock().advance(Duration.ofMinutes(1));
        start(null);

        assertRevoked(service, older.refreshToken());

        assertTrue(ports.sessions().findById(older.session().id()).isPresent(),
                "a reuse outside the interval would have deleted the session");
        assertEquals(2, counterOf(older));
    }
}
