package dev.authsessions.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionCleanup.Expiry;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link SessionQueries}, {@link SessionDeletions} and {@link SessionCleanup},
 * run against every implementation. The clean-up deletes across all users, so every implementation runs
 * each test on an empty store.
 */
public abstract class SessionAdministrationContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");

    /** The ports of one empty store. */
    public record Stores(
            SessionRepository sessions,
            UserRepository users,
            OAuthClientRepository clients,
            SessionQueries queries,
            SessionDeletions deletions,
            SessionCleanup cleanup) {
    }

    protected abstract Stores createEmptyStores();

    /** Stores one more AMR claim of an existing session (the session port writes only the first). */
    protected abstract void insertClaim(SessionId session, AmrClaim claim);

    private final Random random = new Random(11);
    private Stores stores;
    private User alice;
    private User bob;

    @BeforeEach
    void createStoresAndUsers() {
        stores = createEmptyStores();
        alice = stores.users().upsert(user("alice@example.com")).user();
        bob = stores.users().upsert(user("bob@example.com")).user();
    }

    private static User user(String email) {
        return new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated", email, "",
                Map.of(), Map.of(), false, null, T0, T0, false);
    }

    private OAuthClientId client() {
        OAuthClientId id = new OAuthClientId(UUID.randomUUID());
        stores.clients().upsert(new OAuthClient(id, "app", OAuthClient.Type.PUBLIC, null, T0, T0));
        return id;
    }

    private HmacKey key() {
        byte[] bytes = new byte[HmacKey.LENGTH];
        random.nextBytes(bytes);
        return HmacKey.of(bytes);
    }

    private Session stored(User owner, UUID id, Instant createdAt, Instant notAfter, Instant refreshedAt, OAuthClientId client) {
        Session session = new Session(new SessionId(id), owner.id(), createdAt, createdAt, null, Aal.AAL1, notAfter,
                refreshedAt, "ua", "192.0.2.1", null, client, key(), 0, null);
        stores.sessions().create(session, new AmrClaim(AuthenticationMethod.PASSWORD, createdAt));
        return session;
    }

    private Session stored(User owner, Instant createdAt) {
        return stored(owner, UUID.randomUUID(), createdAt, null, null, null);
    }

    private Set<SessionId> remaining(User owner) {
        return stores.queries().pageOfUser(owner.id(), null, 1000).stream()
                .map(d -> d.session().id())
                .collect(Collectors.toSet());
    }

    private static List<SessionId> ids(List<SessionDetails> page) {
        return page.stream().map(d -> d.session().id()).toList();
    }

    // ---- queries --------------------------------------------------------------------------------------------

    @Test
    void aSessionIsFoundWithItsClaimsNewestFirst() {
        Session session = stored(alice, T0);
        insertClaim(session.id(), new AmrClaim(AuthenticationMethod.TOTP, T0.plusSeconds(5)));

        SessionDetails found = stores.queries().findWithClaims(session.id()).orElseThrow();

        assertEquals(session, found.session());
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, T0.plusSeconds(5)),
                new AmrClaim(AuthenticationMethod.PASSWORD, T0)), found.claims());
    }

    @Test
    void anUnknownSessionIsNotFound() {
        assertEquals(Optional.empty(), stores.queries().findWithClaims(new SessionId(UUID.randomUUID())));
    }

    @Test
    void aPageIsNewestFirstWithTiesOnCreationOrderedByIdAsUnsignedBytesDescending() {
        Session oldest = stored(alice, T0.minusSeconds(60));
        // Same created_at: as signed longs 8000… < 7fff…, but PostgreSQL (and this contract) orders uuid bytes unsigned.
        Session low = stored(alice, UUID.fromString("7fffffff-ffff-4fff-bfff-ffffffffffff"), T0, null, null, null);
        Session high = stored(alice, UUID.fromString("80000000-0000-4000-8000-000000000000"), T0, null, null, null);
        Session newest = stored(alice, T0.plusNanos(1_000));
        stored(bob, T0.plusSeconds(1));

        List<SessionDetails> page = stores.queries().pageOfUser(alice.id(), null, 10);

        assertEquals(List.of(newest.id(), high.id(), low.id(), oldest.id()), ids(page));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.PASSWORD, T0)), page.get(1).claims());
    }

    @Test
    void aPageStartsStrictlyAfterTheCursorAndStopsAtTheLimit() {
        Session s1 = stored(alice, T0.plusSeconds(4));
        Session s2 = stored(alice, UUID.fromString("ffffffff-0000-4000-8000-000000000000"), T0.plusSeconds(3), null, null, null);
        Session s3 = stored(alice, UUID.fromString("00000000-0000-4000-8000-000000000001"), T0.plusSeconds(3), null, null, null);
        Session s4 = stored(alice, T0.plusSeconds(2));
        Session s5 = stored(alice, T0.plusSeconds(1));

        assertEquals(List.of(s1.id(), s2.id()), ids(stores.queries().pageOfUser(alice.id(), null, 2)));
        assertEquals(List.of(s3.id(), s4.id()),
                ids(stores.queries().pageOfUser(alice.id(), SessionCursor.after(s2), 2)));
        assertEquals(List.of(s5.id()), ids(stores.queries().pageOfUser(alice.id(), SessionCursor.after(s4), 2)));
        assertEquals(List.of(), ids(stores.queries().pageOfUser(alice.id(), SessionCursor.after(s5), 2)));
        // A cursor between rows (a deleted session's position) still lands on the next one.
        assertEquals(List.of(s4.id()), ids(stores.queries().pageOfUser(alice.id(),
                new SessionCursor(T0.plusSeconds(3), new SessionId(UUID.fromString("00000000-0000-4000-8000-000000000000"))), 1)));
    }

    @Test
    void walkingThePagesVisitsEverySessionOnceInOrder() {
        List<Session> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // Several sessions share each created_at, so ties cross page boundaries.
            all.add(stored(alice, T0.plusSeconds(i / 4)));
        }
        List<SessionId> expected = stores.queries().pageOfUser(alice.id(), null, 1000).stream()
                .map(d -> d.session().id()).toList();
        List<SessionId> walked = new ArrayList<>();
        SessionCursor after = null;
        List<SessionDetails> page;
        do {
            page = stores.queries().pageOfUser(alice.id(), after, 5);
            walked.addAll(ids(page));
            if (!page.isEmpty()) {
                after = SessionCursor.after(page.get(page.size() - 1).session());
            }
        } while (page.size() == 5);

        assertEquals(23, expected.size());
        assertEquals(expected, walked);
        assertEquals(all.stream().map(Session::id).collect(Collectors.toSet()), Set.copyOf(walked));
    }

    @Test
    void theNextPageIsTheSameWhateverIsInsertedOrDeletedMeanwhile() {
        List<Session> newestFirst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            newestFirst.add(0, stored(alice, T0.plusSeconds(i)));
        }
        List<SessionDetails> first = stores.queries().pageOfUser(alice.id(), null, 2);
        SessionCursor cursor = SessionCursor.after(first.get(1).session());
        stored(alice, T0.plusSeconds(100));
        stored(alice, T0.minusSeconds(100));
        stores.sessions().delete(newestFirst.get(1).id());
        stores.sessions().delete(newestFirst.get(2).id());

        List<SessionDetails> second = stores.queries().pageOfUser(alice.id(), cursor, 2);

        assertEquals(List.of(newestFirst.get(0).id(), newestFirst.get(1).id()), ids(first));
        assertEquals(List.of(newestFirst.get(3).id(), newestFirst.get(4).id()), ids(second));
    }

    @Test
    void anUnknownUserHasAnEmptyPage() {
        assertEquals(List.of(), stores.queries().pageOfUser(new UserId(UUID.randomUUID()), null, 10));
    }

    // ---- deletions ------------------------------------------------------------------------------------------

    @Test
    void anOwnedSessionIsDeletedWithItsClaims() {
        Session mine = stored(alice, T0);
        Session other = stored(alice, T0);

        assertTrue(stores.deletions().deleteOwned(alice.id(), mine.id()));

        assertEquals(Optional.empty(), stores.sessions().findById(mine.id()));
        assertEquals(List.of(), stores.sessions().claimsOf(mine.id()));
        assertEquals(Set.of(other.id()), remaining(alice));
        assertFalse(stores.deletions().deleteOwned(alice.id(), mine.id()));
    }

    @Test
    void anotherUsersSessionIsNotDeletedAsOwned() {
        Session bobs = stored(bob, T0);

        assertFalse(stores.deletions().deleteOwned(alice.id(), bobs.id()));
        assertFalse(stores.deletions().deleteOwned(alice.id(), new SessionId(UUID.randomUUID())));

        assertEquals(Set.of(bobs.id()), remaining(bob));
    }

    @Test
    void deletingAUsersSessionsHonoursTheClientAndTheException() {
        OAuthClientId app = client();
        OAuthClientId otherApp = client();
        Session plain = stored(alice, UUID.randomUUID(), T0, null, null, null);
        Session viaApp = stored(alice, UUID.randomUUID(), T0, null, null, app);
        Session viaAppKept = stored(alice, UUID.randomUUID(), T0, null, null, app);
        Session viaOtherApp = stored(alice, UUID.randomUUID(), T0, null, null, otherApp);
        Session bobsViaApp = stored(bob, UUID.randomUUID(), T0, null, null, app);

        assertEquals(1, stores.deletions().deleteOfUser(alice.id(), app, viaAppKept.id()));
        assertEquals(Set.of(plain.id(), viaAppKept.id(), viaOtherApp.id()), remaining(alice));

        assertEquals(1, stores.deletions().deleteOfUser(alice.id(), otherApp, null));
        assertEquals(Set.of(plain.id(), viaAppKept.id()), remaining(alice));

        assertEquals(1, stores.deletions().deleteOfUser(alice.id(), null, plain.id()));
        assertEquals(Set.of(plain.id()), remaining(alice));

        stored(alice, T0);
        assertEquals(2, stores.deletions().deleteOfUser(alice.id(), null, null));
        assertEquals(Set.of(), remaining(alice));
        assertEquals(Set.of(bobsViaApp.id()), remaining(bob));
        assertEquals(Optional.empty(), stores.sessions().findById(viaApp.id()));
    }

    // ---- clean-up -------------------------------------------------------------------------------------------

    @Test
    void notAfterStrictlyBeforeTheCutoffIsDeletedAndNoNotAfterNeverIs() {
        Instant cutoff = T0;
        Session before = stored(alice, UUID.randomUUID(), T0.minusSeconds(3600), cutoff.minusNanos(1_000), null, null);
        Session at = stored(alice, UUID.randomUUID(), T0.minusSeconds(3600), cutoff, null, null);
        Session after = stored(alice, UUID.randomUUID(), T0.minusSeconds(3600), cutoff.plusNanos(1_000), null, null);
        Session never = stored(bob, UUID.randomUUID(), T0.minusSeconds(86_400 * 365), null, null, null);

        assertEquals(1, stores.cleanup().deleteBatch(Expiry.NOT_AFTER, cutoff, 100));

        assertEquals(Set.of(at.id(), after.id()), remaining(alice));
        assertEquals(Set.of(never.id()), remaining(bob));
        assertEquals(List.of(), stores.sessions().claimsOf(before.id()));
    }

    @Test
    void createdAtStrictlyBeforeTheCutoffIsDeleted() {
        Instant cutoff = T0;
        stored(alice, cutoff.minusNanos(1_000));
        Session at = stored(alice, cutoff);
        Session after = stored(bob, cutoff.plusNanos(1_000));

        assertEquals(1, stores.cleanup().deleteBatch(Expiry.CREATED_AT, cutoff, 100));

        assertEquals(Set.of(at.id()), remaining(alice));
        assertEquals(Set.of(after.id()), remaining(bob));
    }

    @Test
    void theLastRefreshOrElseTheCreationStrictlyBeforeTheCutoffIsDeleted() {
        Instant cutoff = T0;
        Instant longAgo = T0.minus(Duration.ofDays(30));
        stored(alice, UUID.randomUUID(), longAgo, null, cutoff.minusNanos(1_000), null);
        Session refreshedAtCutoff = stored(alice, UUID.randomUUID(), longAgo, null, cutoff, null);
        Session refreshedLater = stored(alice, UUID.randomUUID(), longAgo, null, cutoff.plusSeconds(1), null);
        stored(bob, UUID.randomUUID(), cutoff.minusNanos(1_000), null, null, null);
        Session createdAtCutoff = stored(bob, UUID.randomUUID(), cutoff, null, null, null);

        assertEquals(2, stores.cleanup().deleteBatch(Expiry.LAST_REFRESHED_AT, cutoff, 100));

        assertEquals(Set.of(refreshedAtCutoff.id(), refreshedLater.id()), remaining(alice));
        assertEquals(Set.of(createdAtCutoff.id()), remaining(bob));
    }

    @Test
    void aBatchDeletesAtMostItsSize() {
        for (int i = 0; i < 7; i++) {
            stored(alice, UUID.randomUUID(), T0.minusSeconds(3600), T0.minusSeconds(60 + i), null, null);
        }
        Session live = stored(alice, UUID.randomUUID(), T0.minusSeconds(3600), T0.plusSeconds(60), null, null);

        assertEquals(3, stores.cleanup().deleteBatch(Expiry.NOT_AFTER, T0, 3));
        assertEquals(5, remaining(alice).size());
        assertEquals(3, stores.cleanup().deleteBatch(Expiry.NOT_AFTER, T0, 3));
        assertEquals(1, stores.cleanup().deleteBatch(Expiry.NOT_AFTER, T0, 3));
        assertEquals(0, stores.cleanup().deleteBatch(Expiry.NOT_AFTER, T0, 3));

        assertEquals(Set.of(live.id()), remaining(alice));
    }
}
