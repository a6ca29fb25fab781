package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemorySessionAdministration;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.DeleteUserSessionsUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListUserSessionsUseCase.Page;
import dev.authsessions.application.port.in.ListUserSessionsUseCase.Query;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operators' session use cases: read one, page a user's, delete one, delete a user's. */
class AdminSessionsServicesTest {
    private InMemoryPorts ports;
    private InMemorySessionAdministration administration;
    private SessionRows rows;
    private User alice;
    private User bob;
    private Instant t;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        administration = new InMemorySessionAdministration(ports.sessions());
        rows = new SessionRows(ports);
        alice = ports.newUser("alice@example.com");
        bob = ports.newUser("bob@example.com");
        t = ports.clock().peek();
    }

    private ListUserSessionsService lister() {
        return new ListUserSessionsService(ports.users(), administration);
    }

    private DeleteUserSessionsService userSessionsDeleter() {
        return new DeleteUserSessionsService(ports.users(), ports.clients(), ports.sessions(), administration);
    }

    private static void assertRejected(Rejection.Kind kind, ErrorCode code, Executable action) {
        Rejection rejection = assertThrows(Rejection.class, action);
        assertEquals(kind, rejection.kind());
        assertEquals(code, rejection.code());
    }

    private Set<SessionId> remaining(User user) {
        return ports.sessions().sessionsOf(user.id()).stream().map(Session::id).collect(Collectors.toSet());
    }

    private static List<SessionId> ids(Page page) {
        return page.sessions().stream().map(d -> d.session().id()).toList();
    }

    // ---- read one -------------------------------------------------------------------------------------------

    @Test
    void oneSessionIsReadWithItsClaims() {
        Session session = rows.store(alice, t);
        ports.sessions().addClaim(session.id(), new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(1)));

        SessionDetails read = new ReadSessionService(administration).read(session.id());

        assertEquals(session, read.session());
        assertEquals(List.of(AuthenticationMethod.TOTP, AuthenticationMethod.PASSWORD),
                read.claims().stream().map(AmrClaim::method).toList());
    }

    @Test
    void anUnknownSessionCannotBeRead() {
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.SESSION_NOT_FOUND,
                () -> new ReadSessionService(administration).read(new SessionId(UUID.randomUUID())));
    }

    // ---- page a user's --------------------------------------------------------------------------------------

    @Test
    void pagesFollowEachOtherUntilALastPageWithoutCursor() {
        List<SessionId> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newestFirst.add(0, rows.store(alice, t.plusSeconds(i)).id());
        }
        rows.store(bob, t.plusSeconds(10));

        Page first = lister().list(new Query(alice.id(), 2, null));
        Page second = lister().list(new Query(alice.id(), 2, first.nextCursor()));
        Page third = lister().list(new Query(alice.id(), 2, second.nextCursor()));

        assertEquals(newestFirst.subList(0, 2), ids(first));
        assertEquals(newestFirst.subList(2, 4), ids(second));
        assertEquals(newestFirst.subList(4, 5), ids(third));
        assertNotNull(first.nextCursor());
        assertNull(third.nextCursor());
    }

    @Test
    void aPageThatHoldsTheLastSessionExactlyHasNoCursor() {
        rows.store(alice, t);
        rows.store(alice, t.plusSeconds(1));

        Page page = lister().list(new Query(alice.id(), 2, null));

        assertEquals(2, page.sessions().size());
        assertNull(page.nextCursor());
        assertEquals(List.of(), lister().list(new Query(ports.newUser("c@example.com").id(), 1000, null)).sessions());
    }

    @Test
    void theCursorIsStableAcrossInsertsAndDeletesBetweenPages() {
        List<Session> stored = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stored.add(0, rows.store(alice, t.plusSeconds(i)));
        }
        Page first = lister().list(new Query(alice.id(), 2, null));
        rows.store(alice, t.plusSeconds(100));
        rows.store(alice, t.minusSeconds(100));
        ports.sessions().delete(stored.get(1).id());
        ports.sessions().delete(stored.get(2).id());

        Page second = lister().list(new Query(alice.id(), 2, first.nextCursor()));

        assertEquals(List.of(stored.get(0).id(), stored.get(1).id()), ids(first));
        assertEquals(List.of(stored.get(3).id(), stored.get(4).id()), ids(second));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aLimitOutsideOneToAThousandIsRefused(int limit) {
        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
                () -> lister().list(new Query(alice.id(), limit, null)));
    }

    @Test
    void theLimitsOneAndAThousandAreAccepted() {
        rows.store(alice, t);
        rows.store(alice, t.plusSeconds(1));

        assertEquals(1, lister().list(new Query(alice.id(), 1, null)).sessions().size());
        assertEquals(2, lister().list(new Query(alice.id(), 1000, null)).sessions().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "AQAGQ0T2C3-AAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void aCursorThisServerDidNotWriteIsRefused(String cursor) {
        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
                () -> lister().list(new Query(alice.id(), 10, cursor)));
    }

    @Test
    void anEditedCursorIsRefused() {
        rows.store(alice, t);
        rows.store(alice, t.plusSeconds(1));
        String cursor = lister().list(new Query(alice.id(), 1, null)).nextCursor();
        String edited = (cursor.charAt(5) == 'A' ? "B" : "A");

        assertRejected(Rejection.Kind.BAD_REQUEST, ErrorCode.VALIDATION_FAILED,
                () -> lister().list(new Query(alice.id(), 1, cursor.substring(0, 5) + edited + cursor.substring(6))));
    }

    @Test
    void anUnknownOrDeletedUserIsNotFound() {
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND,
                () -> lister().list(new Query(new UserId(UUID.randomUUID()), 10, null)));
        ports.users().delete(bob.id());
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND,
                () -> lister().list(new Query(bob.id(), 10, null)));
    }

    // ---- delete one -----------------------------------------------------------------------------------------

    @Test
    void oneSessionIsDeletedAndASecondDeleteIsNotFound() {
        Session session = rows.store(alice, t);
        Session other = rows.store(alice, t);
        DeleteSessionService service = new DeleteSessionService(ports.sessions());

        service.delete(session.id());

        assertEquals(Set.of(other.id()), remaining(alice));
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.SESSION_NOT_FOUND, () -> service.delete(session.id()));
    }

    // ---- delete a user's ------------------------------------------------------------------------------------

    @Test
    void allOfAUsersSessionsAreDeletedAndNoOneElses() {
        rows.store(alice, t);
        rows.store(alice, t);
        Session bobs = rows.store(bob, t);

        assertEquals(2, userSessionsDeleter().delete(new DeleteUserSessionsUseCase.Command(alice.id(), null, null)));

        assertEquals(Set.of(), remaining(alice));
        assertEquals(Set.of(bobs.id()), remaining(bob));
    }

    @Test
    void onlyOneClientsSessionsAllButOneOrBothFilters() {
        OAuthClientId app = ports.newPublicClient("app").id();
        OAuthClientId other = ports.newPublicClient("other").id();
        Session plain = rows.store(alice, t);
        Session viaApp = rows.store(alice, t, null, null, app);
        Session viaAppKept = rows.store(alice, t, null, null, app);
        Session viaOther = rows.store(alice, t, null, null, other);

        userSessionsDeleter().delete(new DeleteUserSessionsUseCase.Command(alice.id(), app, viaAppKept.id()));
        assertEquals(Set.of(plain.id(), viaAppKept.id(), viaOther.id()), remaining(alice));

        userSessionsDeleter().delete(new DeleteUserSessionsUseCase.Command(alice.id(), other, null));
        assertEquals(Set.of(plain.id(), viaAppKept.id()), remaining(alice));

        userSessionsDeleter().delete(new DeleteUserSessionsUseCase.Command(alice.id(), null, plain.id()));
        assertEquals(Set.of(plain.id()), remaining(alice));
        assertEquals(Optional.empty(), ports.sessions().findById(viaApp.id()));
    }

    @Test
    void unknownIdsAreNotFoundAndNothingIsDeleted() {
        Session mine = rows.store(alice, t);
        Session bobs = rows.store(bob, t);

        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.USER_NOT_FOUND, () -> userSessionsDeleter()
                .delete(new DeleteUserSessionsUseCase.Command(new UserId(UUID.randomUUID()), null, null)));
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.OAUTH_CLIENT_NOT_FOUND, () -> userSessionsDeleter()
                .delete(new DeleteUserSessionsUseCase.Command(alice.id(), new OAuthClientId(UUID.randomUUID()), null)));
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.SESSION_NOT_FOUND, () -> userSessionsDeleter()
                .delete(new DeleteUserSessionsUseCase.Command(alice.id(), null, new SessionId(UUID.randomUUID()))));
        // Another user's session is not "the one to keep": refusing beats deleting every session of the user.
        assertRejected(Rejection.Kind.NOT_FOUND, ErrorCode.SESSION_NOT_FOUND, () -> userSessionsDeleter()
                .delete(new DeleteUserSessionsUseCase.Command(alice.id(), null, bobs.id())));

        assertEquals(Set.of(mine.id()), remaining(alice));
        assertEquals(Set.of(bobs.id()), remaining(bob));
        assertTrue(ports.users().findById(alice.id()).isPresent());
    }
}
