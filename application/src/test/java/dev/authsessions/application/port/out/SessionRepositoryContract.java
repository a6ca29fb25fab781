package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import java.util.stream.Stream;
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

    // ---- what a create racing a delete ends in: the service read the user (or client), which went before the insert

    @Test
    void creatingASessionOfAUserThatIsGoneIsRefusedAsUserGoneAndStoresNothing() {
        Session session = session(bob);
        assertTrue(users.delete(bob.id()));

        StorageConstraintException refused = assertThrows(StorageConstraintException.class,
                () -> sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0)));

        assertEquals(StorageConstraintException.Violation.USER_GONE, refused.violation());
        assertEquals(Optional.empty(), sessions.findById(session.id()));
    }

    @Test
    void creatingASessionOfAnOAuthClientThatIsGoneIsRefusedAsOAuthClientGoneAndStoresNothing() {
        OAuthClient client = client();
        Session plain = session(alice);
        Session session = new Session(plain.id(), alice.id(), T0, T0, null, Aal.AAL1, null, null, null, null, null, client.id(),
                randomKey(), 0, new Scopes("openid"));
        assertTrue(clients.delete(client.id()));

        StorageConstraintException refused = assertThrows(StorageConstraintException.class,
                () -> sessions.create(session, new AmrClaim(AuthenticationMethod.OAUTH, T0)));

        assertEquals(StorageConstraintException.Violation.OAUTH_CLIENT_GONE, refused.violation());
        assertEquals(Optional.empty(), sessions.findById(session.id()));
    }

    @Test
    void creatingASessionWhoseIdExistsIsRefusedAsADuplicateAndChangesNothing() {
        Session first = created(alice);
        Session again = new Session(first.id(), bob.id(), T1, T1, null, Aal.AAL1, null, null, "other", null, null, null,
                randomKey(), 0, null);

        StorageConstraintException refused = assertThrows(StorageConstraintException.class,
                () -> sessions.create(again, new AmrClaim(AuthenticationMethod.OTP, T1)));

        assertEquals(StorageConstraintException.Violation.DUPLICATE, refused.violation());
        assertEquals(Optional.of(first), sessions.findById(first.id()));
        assertEquals(List.of(AuthenticationMethod.PASSWORD), sessions.claimsOf(first.id()).stream().map(AmrClaim::method).toList());
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

    // ---- listOfUser ----------------------------------------------------------------------------------------

    private Session createdAt(User owner, Instant createdAt) {
        Session s = session(owner);
        Session at = new Session(s.id(), s.userId(), createdAt, createdAt, s.factorId(), s.aal(), s.notAfter(),
                s.refreshedAt(), s.userAgent(), s.ip(), s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(),
                s.refreshTokenCounter(), s.scopes());
        sessions.create(at, new AmrClaim(AuthenticationMethod.PASSWORD, createdAt));
        return at;
    }

    @Test
    void listOfUserReturnsEveryOneOfTheirSessionsNewestFirst() {
        Session middle = createdAt(alice, T1);
        Session oldest = createdAt(alice, T0);
        Session newest = createdAt(alice, T2);
        created(bob);

        assertEquals(List.of(newest, middle, oldest), sessions.listOfUser(alice.id()));
    }

    @Test
    void listOfUserOrdersSessionsCreatedAtTheSameInstantByIdDescending() {
        List<Session> created = Stream.of(createdAt(alice, T1), createdAt(alice, T1), createdAt(alice, T1),
                createdAt(alice, T0)).toList();
        List<Session> expected = new ArrayList<>(created.subList(0, 3));
        // PostgreSQL orders uuids by their unsigned bytes, which is the order of their canonical text.
        expected.sort(Comparator.comparing((Session s) -> s.id().value().toString()).reversed());
        expected.add(created.get(3));

        assertEquals(expected, sessions.listOfUser(alice.id()));
    }

    @Test
    void listOfUserShowsTheStoredStateAndForgetsDeletedSessions() {
        Session refreshed = created(alice);
        Session deleted = created(alice);
        sessions.compareAndSetCounter(refreshed.id(), 0, 1, T1, "ua", "192.0.2.1").orElseThrow();
        sessions.delete(deleted.id());

        assertEquals(List.of(sessions.findById(refreshed.id()).orElseThrow()), sessions.listOfUser(alice.id()));
        assertEquals(List.of(), sessions.listOfUser(new UserId(UUID.randomUUID())));
    }

    // ---- stepUp --------------------------------------------------------------------------------------------

    private Session atAal2(User owner, FactorId factor) {
        Session s = session(owner);
        Session aal2 = new Session(s.id(), s.userId(), s.createdAt(), s.updatedAt(), factor, Aal.AAL2, s.notAfter(),
                s.refreshedAt(), s.userAgent(), s.ip(), s.tag(), s.oauthClientId(), s.refreshTokenHmacKey(),
                s.refreshTokenCounter(), s.scopes());
        sessions.create(aal2, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        return aal2;
    }

    @Test
    void stepUpRaisesTheSessionToAal2WithTheFactorANewKeyAndTheCounterPlusTwo() {
        OAuthClient client = client();
        Session before = new Session(new SessionId(UUID.randomUUID()), alice.id(), T0, T0, null, Aal.AAL1,
                T0.plusSeconds(86_400), T0.plusSeconds(1), "Mozilla/5.0 (step-up)", "203.0.113.5", "web", client.id(),
                randomKey(), 5, new Scopes("openid"));
        sessions.create(before, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        FactorId factor = new FactorId(UUID.randomUUID());
        HmacKey newKey = randomKey();

        SessionRepository.SessionContext after =
                sessions.stepUp(before.id(), factor, AuthenticationMethod.TOTP, newKey, T1).orElseThrow();

        Session expected = new Session(before.id(), alice.id(), T0, T1, factor, Aal.AAL2, before.notAfter(), T1,
                before.userAgent(), before.ip(), "web", client.id(), newKey, 7, before.scopes());
        assertEquals(expected, after.session());
        assertEquals(Optional.of(expected), sessions.findById(before.id()));
        List<AmrClaim> claims = List.of(new AmrClaim(AuthenticationMethod.TOTP, T1),
                new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        assertEquals(claims, after.claims());
        assertEquals(claims, sessions.claimsOf(before.id()));
        assertEquals(alice.id(), after.user().id());
        assertTrue(after.user().hasVerifiedFactor(), "the factor is recorded as the user's verified factor");
        assertTrue(users.findById(alice.id()).orElseThrow().hasVerifiedFactor());
        assertFalse(users.findById(bob.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void stepUpReplacesTheKeySoNoTokenSignedBeforeItVerifies() {
        Session before = withCounter(session(alice), 4);
        sessions.create(before, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
        HmacKey newKey = randomKey();

        sessions.stepUp(before.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP, newKey, T1)
                .orElseThrow();

        HmacKey stored = sessions.loadForRefresh(before.id()).orElseThrow().session().refreshTokenHmacKey();
        assertEquals(newKey, stored);
        for (long counter = 0; counter <= 6; counter++) {
            RefreshToken old = RefreshToken.parse(RefreshToken.encode(before.id(), counter, before.refreshTokenHmacKey()));
            assertFalse(old.isSignedBy(stored), "a token of counter " + counter + " signed before the step-up");
        }
    }

    @Test
    void stepUpUpsertsTheClaimOfAMethodTheSessionAlreadyHas() {
        Session session = session(alice);
        sessions.create(session, new AmrClaim(AuthenticationMethod.TOTP, T0));

        SessionRepository.SessionContext after = sessions.stepUp(
                session.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP, randomKey(), T2).orElseThrow();

        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, T2)), after.claims());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, T2)), sessions.claimsOf(session.id()));
    }

    @Test
    void stepUpDeletesTheUsersOtherSessionsBelowAal2AndNothingElse() {
        Session target = created(alice);
        Session otherAal1 = created(alice);
        Session otherAal2 = atAal2(alice, new FactorId(UUID.randomUUID()));
        Session bobs = created(bob);

        sessions.stepUp(target.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.MFA_WEBAUTHN, randomKey(), T1)
                .orElseThrow();

        assertEquals(Optional.empty(), sessions.findById(otherAal1.id()));
        assertEquals(List.of(), sessions.claimsOf(otherAal1.id()));
        assertEquals(Optional.of(otherAal2), sessions.findById(otherAal2.id()));
        assertEquals(Optional.of(bobs), sessions.findById(bobs.id()));
        assertEquals(Aal.AAL2, sessions.findById(target.id()).orElseThrow().aal());
    }

    @Test
    void stepUpOfAnUnknownSessionIsEmpty() {
        assertEquals(Optional.empty(), sessions.stepUp(new SessionId(UUID.randomUUID()),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP, randomKey(), T1));
    }

    @Test
    void stepUpOfASessionWhoseUserIsSoftDeletedIsEmptyAndChangesNothing() {
        Session session = created(alice);
        softDeleteUser(alice.id(), T1);

        assertEquals(Optional.empty(), sessions.stepUp(session.id(), new FactorId(UUID.randomUUID()),
                AuthenticationMethod.TOTP, randomKey(), T1));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }

    @Test
    void stepUpWithAFactorOfAnotherUserIsEmptyAndChangesNothing() {
        FactorId bobsFactor = new FactorId(UUID.randomUUID());
        sessions.stepUp(created(bob).id(), bobsFactor, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session session = created(alice);
        Session other = created(alice);

        assertEquals(Optional.empty(),
                sessions.stepUp(session.id(), bobsFactor, AuthenticationMethod.TOTP, randomKey(), T2));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, T0)), sessions.claimsOf(session.id()));
        assertEquals(Optional.of(other), sessions.findById(other.id()), "no other session was deleted");
        assertFalse(users.findById(alice.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void stepUpWithAFactorOfAnotherTypeIsEmptyAndChangesNothing() {
        FactorId totp = new FactorId(UUID.randomUUID());
        sessions.stepUp(created(alice).id(), totp, AuthenticationMethod.TOTP, randomKey(), T1).orElseThrow();
        Session session = created(alice);

        assertEquals(Optional.empty(),
                sessions.stepUp(session.id(), totp, AuthenticationMethod.MFA_PHONE, randomKey(), T2));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, T0)), sessions.claimsOf(session.id()));
    }

    @Test
    void steppingUpAgainWithTheSameFactorRaisesTheCounterAndReplacesTheKeyAgain() {
        Session session = created(alice);
        FactorId factor = new FactorId(UUID.randomUUID());
        Session first = sessions.stepUp(session.id(), factor, AuthenticationMethod.TOTP, randomKey(), T1)
                .orElseThrow().session();
        HmacKey secondKey = randomKey();

        Session second = sessions.stepUp(session.id(), factor, AuthenticationMethod.TOTP, secondKey, T2)
                .orElseThrow().session();

        assertEquals(2, first.refreshTokenCounter());
        assertEquals(4, second.refreshTokenCounter());
        assertEquals(secondKey, second.refreshTokenHmacKey());
        assertNotEquals(first.refreshTokenHmacKey(), second.refreshTokenHmacKey());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, T2), new AmrClaim(AuthenticationMethod.PASSWORD, T0)),
                sessions.claimsOf(session.id()));
    }

    @Test
    void stepUpWithAFirstFactorMethodIsRefused() {
        Session session = created(alice);

        assertThrows(IllegalArgumentException.class, () -> sessions.stepUp(session.id(),
                new FactorId(UUID.randomUUID()), AuthenticationMethod.PASSWORD, randomKey(), T1));

        assertEquals(Optional.of(session), sessions.findById(session.id()));
    }

    @Test
    void noCompareAndSetFromAPreStepUpCounterSucceedsAfterTheStepUp() {
        Session session = withCounter(session(alice), 5);
        sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));

        sessions.stepUp(session.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP, randomKey(), T1)
                .orElseThrow();

        for (long expected = 0; expected <= 6; expected++) {
            assertEquals(Optional.empty(),
                    sessions.compareAndSetCounter(session.id(), expected, expected + 1, T2, "late", "192.0.2.1"),
                    "expected counter " + expected);
        }
        assertEquals(7, sessions.findById(session.id()).orElseThrow().refreshTokenCounter());
        assertTrue(sessions.compareAndSetCounter(session.id(), 7, 8, T2, "ua", "192.0.2.1").isPresent(),
                "the stepped-up counter rotates normally");
    }

    @Test
    void aStepUpRacingCompareAndSetsLetsAtMostOneThroughAndOnlyBeforeIt() throws Exception {
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers + 1);
        try {
            for (int round = 0; round < 10; round++) {
                Session session = withCounter(session(alice), 3);
                sessions.create(session, new AmrClaim(AuthenticationMethod.PASSWORD, T0));
                HmacKey newKey = randomKey();
                CountDownLatch ready = new CountDownLatch(racers + 1);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<Session>>> swaps = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    swaps.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return sessions.compareAndSetCounter(session.id(), 3, 4, T1, "racer", "192.0.2.1");
                    }));
                }
                Future<Optional<SessionRepository.SessionContext>> stepUp = pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return sessions.stepUp(session.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP,
                            newKey, T1);
                });
                assertTrue(ready.await(30, TimeUnit.SECONDS));
                go.countDown();
                List<Session> winners = new ArrayList<>();
                for (Future<Optional<Session>> swap : swaps) {
                    swap.get(60, TimeUnit.SECONDS).ifPresent(winners::add);
                }
                assertTrue(stepUp.get(60, TimeUnit.SECONDS).isPresent());

                Session stored = sessions.findById(session.id()).orElseThrow();
                assertTrue(winners.size() <= 1, "at most one compare-and-set wins");
                assertEquals(3 + 2 + winners.size(), stored.refreshTokenCounter(),
                        "a winning compare-and-set came before the step-up, which then added 2");
                for (Session winner : winners) {
                    assertEquals(session.refreshTokenHmacKey(), winner.refreshTokenHmacKey());
                    assertEquals(Aal.AAL1, winner.aal(), "the winner saw the pre-step-up session");
                }
                assertEquals(newKey, stored.refreshTokenHmacKey());
                assertEquals(Aal.AAL2, stored.aal());
                assertEquals(Optional.empty(),
                        sessions.compareAndSetCounter(session.id(), 3, 4, T2, "late", "192.0.2.1"));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
