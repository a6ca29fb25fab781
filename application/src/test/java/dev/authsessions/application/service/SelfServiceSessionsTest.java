package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemorySessionAdministration;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase.Page;
import dev.authsessions.application.port.in.ListOwnSessionsUseCase.Query;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /sessions} and {@code DELETE /sessions/{id}} behind the HTTP adapter. */
class SelfServiceSessionsTest {
    private InMemoryPorts ports;
    private InMemorySessionAdministration administration;
    private SessionRows rows;
    private User alice;
    private User bob;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        administration = new InMemorySessionAdministration(ports.sessions());
        rows = new SessionRows(ports);
        alice = ports.newUser("alice@example.com");
        bob = ports.newUser("bob@example.com");
    }

    private static List<SessionId> ids(List<SessionDetails> details) {
        return details.stream().map(d -> d.session().id()).toList();
    }

    private Page listOwn(Caller caller, int limit, String cursor) {
        return new ListOwnSessionsService(administration).listOwn(new Query(caller, limit, cursor));
    }

    @Test
    void theCallerSeesTheirOwnSessionsNewestFirstWithClaims() {
        Instant t = ports.clock().peek();
        Session first = rows.store(alice, t);
        Session second = rows.store(alice, t.plusSeconds(1));
        rows.store(bob, t.plusSeconds(2));
        ports.sessions().addClaim(first.id(), new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(9)));

        Page listed = listOwn(new Caller(alice, first), ListOwnSessionsUseCase.DEFAULT_LIMIT, null);

        assertEquals(List.of(second.id(), first.id()), ids(listed.sessions()));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(9)),
                new AmrClaim(AuthenticationMethod.PASSWORD, t)), listed.sessions().get(1).claims());
        assertNull(listed.nextCursor());
    }

    /** 2,501 sessions, some created at the same instant: pages of the limit, each a bounded read, every session once. */
    @Test
    void manySessionsComeInPagesOfTheLimitThatReachEverySessionExactlyOnce() {
        Instant t = ports.clock().peek();
        List<SessionId> stored = new ArrayList<>();
        for (int i = 0; i < 2_501; i++) {
            stored.add(rows.store(alice, t.plusSeconds(i / 3)).id());
        }
        rows.store(bob, t);
        List<Integer> reads = new ArrayList<>();
        SessionQueries counting = new SessionQueries() {
            @Override
            public Optional<SessionDetails> findWithClaims(SessionId id) {
                return administration.findWithClaims(id);
            }

            @Override
            public List<SessionDetails> pageOfUser(UserId userId, SessionCursor after, int limit) {
                reads.add(limit);
                return administration.pageOfUser(userId, after, limit);
            }
        };
        ListOwnSessionsService service = new ListOwnSessionsService(counting);

        List<SessionId> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        for (int round = 0; round < 10; round++) {
            Page page = service.listOwn(new Query(new Caller(alice, null), 1000, cursor));
            pageSizes.add(page.sessions().size());
            listed.addAll(ids(page.sessions()));
            cursor = page.nextCursor();
            if (cursor == null) {
                break;
            }
        }

        assertEquals(List.of(1000, 1000, 501), pageSizes);
        assertEquals(List.of(1001, 1001, 1001), reads, "no read is larger than a page and one row");
        assertEquals(2_501, new HashSet<>(listed).size(), "each session once");
        assertEquals(new HashSet<>(stored), new HashSet<>(listed));
        List<Session> inOrder = listed.stream().map(id -> ports.sessions().findById(id).orElseThrow()).toList();
        for (int i = 1; i < inOrder.size(); i++) {
            assertFalse(inOrder.get(i).createdAt().isAfter(inOrder.get(i - 1).createdAt()), "newest first");
        }
    }

    @Test
    void exactlyAPageOfSessionsHasNoNextCursor() {
        Instant t = ports.clock().peek();
        for (int i = 0; i < 100; i++) {
            rows.store(alice, t.plusSeconds(i));
        }

        Page page = listOwn(new Caller(alice, null), 100, null);
        assertEquals(100, page.sessions().size());
        assertNull(page.nextCursor());
        Page smaller = listOwn(new Caller(alice, null), 99, null);
        assertEquals(1, listOwn(new Caller(alice, null), 99, smaller.nextCursor()).sessions().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1001, Integer.MAX_VALUE})
    void aLimitOutsideOneToAThousandIsRefused(int limit) {
        Rejection rejection = assertThrows(Rejection.class, () -> listOwn(new Caller(alice, null), limit, null));
        assertEquals(ErrorCode.VALIDATION_FAILED, rejection.code());
        assertEquals("limit must be between 1 and 1000", rejection.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AYAAAAAAAAAAlFbRFYaNNdx_hTplbl2Vy6BVs00"})
    void aValueThatIsNotACursorIsRefused(String cursor) {
        Rejection rejection = assertThrows(Rejection.class, () -> listOwn(new Caller(alice, null), 10, cursor));
        assertEquals(ErrorCode.VALIDATION_FAILED, rejection.code());
        assertEquals("cursor is not valid", rejection.getMessage());
    }

    @Test
    void theCallerEndsOneOfTheirSessionsEvenTheCurrentOne() {
        Session current = rows.store(alice, ports.clock().peek());
        Session other = rows.store(alice, ports.clock().peek());
        EndOwnSessionService service = new EndOwnSessionService(administration);

        service.endOwn(new Caller(alice, current), other.id());
        service.endOwn(new Caller(alice, current), current.id());

        assertEquals(List.of(), ports.sessions().sessionsOf(alice.id()));
    }

    @Test
    void someoneElsesSessionIsNotFoundAndStays() {
        Session mine = rows.store(alice, ports.clock().peek());
        Session bobs = rows.store(bob, ports.clock().peek());
        EndOwnSessionService service = new EndOwnSessionService(administration);

        Rejection foreign = assertThrows(Rejection.class, () -> service.endOwn(new Caller(alice, mine), bobs.id()));
        Rejection unknown = assertThrows(Rejection.class,
                () -> service.endOwn(new Caller(alice, mine), new SessionId(UUID.randomUUID())));

        for (Rejection rejection : List.of(foreign, unknown)) {
            assertEquals(Rejection.Kind.NOT_FOUND, rejection.kind());
            assertEquals(ErrorCode.SESSION_NOT_FOUND, rejection.code());
        }
        assertEquals(Optional.of(bobs), ports.sessions().findById(bobs.id()));
        assertEquals(Optional.of(mine), ports.sessions().findById(mine.id()));
    }
}
