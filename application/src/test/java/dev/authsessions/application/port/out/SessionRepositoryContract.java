package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link SessionRepository} (with the cascades of {@link UserRepository}
 * and {@link OAuthClientRepository}), run against every implementation. Timestamps are at
 * PostgreSQL's precision (microseconds). Ids are random, so a shared database need not be emptied
 * between tests; counts are only ever taken over this test's own users.
 */
public abstract class SessionRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    protected static final Instant T1 = T0.plusSeconds(30).plusNanos(111_000);
    protected static final Instant T2 = T0.plusSeconds(60).plusNanos(222_000);

    /** The three repositories of one store, so sessions can reference users and clients. */
    public record Repositories(SessionRepository sessions, UserRepository users, OAuthClientRepository clients) {
    }

    /** Repositories over an empty or shared store; called before every test. */
    protected abstract Repositories createRepositories();

    /** Marks the user deleted the way GoTrue does ({@code deleted_at} set) without removing the row. */
    protected abstract void softDeleteUser(UserId id, Instant at);

    /**
     * Stores one more AMR claim of an existing session directly (the port can only write the first
     * claim until step-up exists), so the order of several claims can be checked.
     */
    protected abstract void insertClaim(SessionId session, AmrClaim claim);

    private final Random random = new Random(7);
    private SessionRepository sessions;
    private UserRepository users;
    private OAuthClientRepository clients;
    private User alice;
    private User bob;

    @BeforeEach
    void createRepositoriesAndUsers() {
        Repositories repositories = createRepositories();
        sessions = repositories.sessions();
        users = repositories.users();
        clients = repositories.clients();
        alice = users.upsert(user("alice@example.com")).user();
        bob = users.upsert(user("bob@example.com")).user();
    }

    private static User user(String email) {
        return new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated", email, "",
                Map.of("provider", "email"), Map.of(), false, null, T0, T0, false);
    }

    private OAuthClient client() {
        OAuthClient client = new OAuthClient(new OAuthClientId(UUID.randomUUID()), "test client",
                OAuthClient.Type.PUBLIC, null, T0, T0);
        clients.upsert(client);
        return client;
    }

    private HmacKey randomKey() {
        byte[] bytes = new byte[HmacKey.LENGTH];
        random.nextBytes(bytes);
        return HmacKey.of(bytes);
    }

    /** A plain session: counter 0, aal1, never refreshed, no client. */
    private Session session(User owner) {
        return new Session(new SessionId(UUID.randomUUID()), owner.id(), T0, T0, null, Aal.AAL1, null, null,
                "Mozilla/5.0 (contract)", "192.0.2.10", null, null, randomKey(), 0, null);
    }

    private Session withCounter(Session s, long counter) {
        return new Session(s.id(), s.userId(), s.createdAt(), s.updatedAt(), s.factorId(), s.aal(), s.notAfter(),
                s.refreshedAt(), s.userAgent(), s.ip(), s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(),
                counter, s.scopes());
    }

    private Session created(User owner) {
        Session session = session(owner);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        return session;
    }

    // ---- create, find, claims -------------------------------------------------------------------------------

    @Test
    void aCreatedSessionIsFoundWithEveryField() {
        OAuthClient client = client();
        Session session = new Session(new SessionId(UUID.randomUUID()), alice.id(), T0,
                T0.plusNanos(1_000), new FactorId(UUID.randomUUID()), Aal.AAL2, T0.plusSeconds(86_400).plusNanos(5_000),
                T0.plusSeconds(2).plusNanos(999_000), "Mozilla/5.0 (full)", "203.0.113.42", "mobile", client.id(),
                randomKey(), 7, new Scopes("openid profile email"));

        sessions.create(session, new AmrClaim(AuthenticationMethod.TOTP, T0));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }

    @Test
    void aCreatedSessionWithOnlyRequiredFieldsIsFoundUnchanged() {
        Session session = new Session(new SessionId(UUID.randomUUID()), alice.id(), T0, T0, null, Aal.AAL1,
                null, null, null, null, null, null, randomKey(), 0, null);

        sessions.create(session, new AmrClaim(AuthenticationMethod.ANONYMOUS, T0));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }

    @Test
    void anUnknownSessionIsNotFound() {
        assertEquals(Optional.empty(), sessions.findById(new SessionId(UUID.randomUUID())));
    }

    @Test
    void createStoresTheFirstClaim() {
        Session session = session(alice);
        AmrClaim claim = new AmrClaim(AuthenticationMethod.MAGICLINK, T0.plusNanos(3_000));

        sessions.create(session, claim);

        assertEquals(List.of(claim), sessions.claimsOf(session.id()));
    }

    @Test
    void claimsAreReadNewestFirst() {
        Session session = session(alice);
        AmrClaim password = new AmrClaim(AuthenticationMethod.PASSWORD, T0);
        AmrClaim otp = new AmrClaim(AuthenticationMethod.OTP, T1);
        AmrClaim totp = new AmrClaim(AuthenticationMethod.TOTP, T2);
        sessions.create(session, password);
        insertClaim(session.id(), totp);
        insertClaim(session.id(), otp);

        assertEquals(List.of(totp, otp, password), sessions.claimsOf(session.id()));
        assertEquals(List.of(totp, otp, password), sessions.loadForRefresh(session.id()).orElseThrow().claims());
    }

    @Test
    void anUnknownSessionHasNoClaims() {
        assertEquals(List.of(), sessions.claimsOf(new SessionId(UUID.randomUUID())));
    }

    // ---- loadForRefresh ----------------------------------------------------------------------------------------

    @Test
    void loadForRefreshReadsTheSessionItsUserAndItsClaims() {
        Session session = session(alice);
        AmrClaim claim = new AmrClaim(AuthenticationMethod.OTP, T0);
        sessions.create(session, claim);

        SessionRepository.SessionContext context = sessions.loadForRefresh(session.id()).orElseThrow();

        assertEquals(session, context.session());
        assertEquals(alice, context.user());
        assertEquals(List.of(claim), context.claims());
    }

    @Test
    void loadForRefreshOfAnUnknownSessionIsEmpty() {
        assertEquals(Optional.empty(), sessions.loadForRefresh(new SessionId(UUID.randomUUID())));
    }

    @Test
    void loadForRefreshOfASessionWhoseUserIsSoftDeletedIsEmpty() {
        Session session = created(alice);

        softDeleteUser(alice.id(), T1);

        assertEquals(Optional.empty(), sessions.loadForRefresh(session.id()));
    }

    @Test
    void loadForRefreshSeesTheLatestCounter() {
        Session session = created(alice);
        sessions.compareAndSetCounter(session.id(), 0, 1, T1, "ua", "192.0.2.1").orElseThrow();

        assertEquals(1, sessions.loadForRefresh(session.id()).orElseThrow().session().refreshTokenCounter());
    }

    // ---- compareAndSetCounter ------------------------------------------------------------------------------

    @Test
    void compareAndSetAtTheExpectedCounterRaisesItAndRecordsTheRefresh() {
        Session session = withCounter(session(alice), 3);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));

        Optional<Session> updated = sessions.compareAndSetCounter(
                session.id(), 3, 4, T1, "curl/8.5.0", "198.51.100.7");

        Session expected = new Session(session.id(), session.userId(), session.createdAt(), T1, session.factorId(),
                session.aal(), session.notAfter(), T1, "curl/8.5.0", "198.51.100.7", session.tag(),
                session.oauthClientId(), session.refreshTokenHmacKey(), 4, session.scopes());
        assertEquals(Optional.of(expected), updated);
        assertEquals(Optional.of(expected), sessions.findById(session.id()));
    }

    @Test
    void compareAndSetMayRaiseTheCounterByMoreThanOne() {
        Session session = created(alice);

        Session updated = sessions.compareAndSetCounter(session.id(), 0, 2, T1, "ua", "192.0.2.1").orElseThrow();

        assertEquals(2, updated.refreshTokenCounter());
        assertEquals(2, sessions.findById(session.id()).orElseThrow().refreshTokenCounter());
    }

    @Test
    void compareAndSetAtAnyOtherCounterIsEmptyAndChangesNothing() {
        Session session = withCounter(session(alice), 3);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));

        assertEquals(Optional.empty(), sessions.compareAndSetCounter(session.id(), 2, 3, T1, "ua", "192.0.2.1"));
        assertEquals(Optional.empty(), sessions.compareAndSetCounter(session.id(), 4, 5, T1, "ua", "192.0.2.1"));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }

    @Test
    void compareAndSetSucceedsOnlyOnceForOneExpectedCounter() {
        Session session = created(alice);

        assertTrue(sessions.compareAndSetCounter(session.id(), 0, 1, T1, "first", "192.0.2.1").isPresent());
        assertEquals(Optional.empty(), sessions.compareAndSetCounter(session.id(), 0, 1, T2, "second", "192.0.2.2"));

        Session stored = sessions.findById(session.id()).orElseThrow();
        assertEquals(1, stored.refreshTokenCounter());
        assertEquals("first", stored.userAgent());
        assertEquals(T1, stored.refreshedAt());
    }

    @Test
    void compareAndSetOnAMissingSessionIsEmpty() {
        assertEquals(Optional.empty(),
                sessions.compareAndSetCounter(new SessionId(UUID.randomUUID()), 0, 1, T1, "ua", "192.0.2.1"));
    }

    @Test
    void compareAndSetTouchesNoOtherSession() {
        Session target = created(alice);
        Session other = created(alice);

        sessions.compareAndSetCounter(target.id(), 0, 1, T1, "ua", "192.0.2.1").orElseThrow();

        assertEquals(Optional.of(other), sessions.findById(other.id()));
    }

    @Test
    void fiftyThreadsRacingOneCompareAndSetHaveExactlyOneWinner() throws Exception {
        Session session = created(alice);
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Session>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String userAgent = "racer-" + i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return sessions.compareAndSetCounter(session.id(), 0, 1, T1, userAgent, "192.0.2.1");
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            go.countDown();
            List<Session> winners = new ArrayList<>();
            for (Future<Optional<Session>> result : results) {
                result.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
            }

            assertEquals(1, winners.size(), "exactly one compare-and-set wins");
            Session stored = sessions.findById(session.id()).orElseThrow();
            assertEquals(1, stored.refreshTokenCounter());
            assertEquals(winners.get(0), stored);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- recordReuse ---------------------------------------------------------------------------------------

    @Test
    void recordReuseMovesTheRefreshForwardAndKeepsTheCounter() {
        Session session = withCounter(session(alice), 5);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));

        sessions.recordReuse(session.id(), T1, "Reusing/1.0", "198.51.100.9");

        Session stored = sessions.findById(session.id()).orElseThrow();
        assertEquals(5, stored.refreshTokenCounter());
        assertEquals(T1, stored.refreshedAt());
        assertEquals("Reusing/1.0", stored.userAgent());
        assertEquals("198.51.100.9", stored.ip());
        assertEquals(session.refreshTokenHmacKey(), stored.refreshTokenHmacKey());
        assertEquals(session.createdAt(), stored.createdAt());
    }

    @Test
    void recordReuseNeverMovesRefreshedAtBackwards() {
        Session session = created(alice);
        sessions.compareAndSetCounter(session.id(), 0, 1, T2, "ua", "192.0.2.1").orElseThrow();

        sessions.recordReuse(session.id(), T1, "late", "192.0.2.2");

        Session stored = sessions.findById(session.id()).orElseThrow();
        assertEquals(T2, stored.refreshedAt());
        assertEquals(1, stored.refreshTokenCounter());
    }

    @Test
    void recordReuseOnAMissingSessionCreatesNothing() {
        SessionId missing = new SessionId(UUID.randomUUID());

        sessions.recordReuse(missing, T1, "ua", "192.0.2.1");

        assertEquals(Optional.empty(), sessions.findById(missing));
    }

    // ---- deletes -------------------------------------------------------------------------------------------

    @Test
    void deleteRemovesExactlyThatSessionAndItsClaims() {
        Session gone = created(alice);
        Session kept = created(alice);

        assertTrue(sessions.delete(gone.id()));

        assertEquals(Optional.empty(), sessions.findById(gone.id()));
        assertEquals(List.of(), sessions.claimsOf(gone.id()));
        assertEquals(Optional.of(kept), sessions.findById(kept.id()));
        assertEquals(1, sessions.claimsOf(kept.id()).size());
        assertFalse(sessions.delete(gone.id()), "a second delete finds nothing");
    }

    @Test
    void deleteOfAnUnknownSessionIsFalse() {
        assertFalse(sessions.delete(new SessionId(UUID.randomUUID())));
    }

    @Test
    void deleteAllOfUserDeletesEveryOneOfTheirSessionsAndNoOneElses() {
        Session a1 = created(alice);
        Session a2 = created(alice);
        Session a3 = created(alice);
        Session b1 = created(bob);

        assertEquals(3, sessions.deleteAllOfUser(alice.id()));

        for (Session s : List.of(a1, a2, a3)) {
            assertEquals(Optional.empty(), sessions.findById(s.id()));
            assertEquals(List.of(), sessions.claimsOf(s.id()));
        }
        assertEquals(Optional.of(b1), sessions.findById(b1.id()));
        assertEquals(0, sessions.deleteAllOfUser(alice.id()));
    }

    @Test
    void deleteOthersOfUserKeepsOnlyTheGivenSession() {
        Session a1 = created(alice);
        Session a2 = created(alice);
        Session a3 = created(alice);
        Session b1 = created(bob);

        assertEquals(2, sessions.deleteOthersOfUser(alice.id(), a2.id()));

        assertEquals(Optional.empty(), sessions.findById(a1.id()));
        assertEquals(Optional.empty(), sessions.findById(a3.id()));
        assertEquals(Optional.of(a2), sessions.findById(a2.id()));
        assertEquals(Optional.of(b1), sessions.findById(b1.id()));
        assertEquals(0, sessions.deleteOthersOfUser(alice.id(), a2.id()));
    }

    @Test
    void deleteOthersOfUserNeverTouchesTheKeptSessionOfAnotherUser() {
        Session a1 = created(alice);
        Session b1 = created(bob);

        assertEquals(1, sessions.deleteOthersOfUser(alice.id(), b1.id()));

        assertEquals(Optional.empty(), sessions.findById(a1.id()));
        assertEquals(Optional.of(b1), sessions.findById(b1.id()));
    }

    @Test
    void deletingAUserDeletesItsSessionsAndTheirClaims() {
        Session a1 = created(alice);
        Session a2 = created(alice);
        Session b1 = created(bob);

        assertTrue(users.delete(alice.id()));

        assertEquals(Optional.empty(), sessions.findById(a1.id()));
        assertEquals(Optional.empty(), sessions.findById(a2.id()));
        assertEquals(List.of(), sessions.claimsOf(a1.id()));
        assertEquals(Optional.empty(), sessions.loadForRefresh(a1.id()));
        assertEquals(Optional.of(b1), sessions.findById(b1.id()));
    }

    @Test
    void deletingAnOAuthClientDeletesItsSessionsOnly() {
        OAuthClient client = client();
        Session ofClient = new Session(new SessionId(UUID.randomUUID()), alice.id(), T0, T0, null, Aal.AAL1, null,
                null, "ua", "192.0.2.1", null, client.id(), randomKey(), 0, new Scopes("openid"));
        sessions.create(ofClient, new AmrClaim(AuthenticationMethod.OAUTH, T0));
        Session plain = created(alice);

        assertTrue(clients.delete(client.id()));

        assertEquals(Optional.empty(), sessions.findById(ofClient.id()));
        assertEquals(Optional.of(plain), sessions.findById(plain.id()));
        assertEquals(Optional.empty(), clients.findById(client.id()));
    }
}
