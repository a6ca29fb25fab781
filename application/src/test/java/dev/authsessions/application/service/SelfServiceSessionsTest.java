package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemorySessionAdministration;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.ErrorCode;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    @Test
    void theCallerSeesTheirOwnSessionsNewestFirstWithClaims() {
        Instant t = ports.clock().peek();
        Session first = rows.store(alice, t);
        Session second = rows.store(alice, t.plusSeconds(1));
        rows.store(bob, t.plusSeconds(2));
        ports.sessions().addClaim(first.id(), new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(9)));

        List<SessionDetails> listed = new ListOwnSessionsService(administration).listOwn(new Caller(alice, first));

        assertEquals(List.of(second.id(), first.id()), ids(listed));
        assertEquals(List.of(new AmrClaim(AuthenticationMethod.TOTP, t.plusSeconds(9)),
                new AmrClaim(AuthenticationMethod.PASSWORD, t)), listed.get(1).claims());
    }

    @Test
    void moreSessionsThanOneReadAreAllListedInOrder() {
        Instant t = ports.clock().peek();
        List<SessionId> stored = new ArrayList<>();
        for (int i = 0; i < ListOwnSessionsService.PAGE_SIZE * 2 + 1; i++) {
            stored.add(0, rows.store(alice, t.plusSeconds(i)).id());
        }
        List<Integer> pageSizes = new ArrayList<>();
        SessionQueries counting = new SessionQueries() {
            @Override
            public Optional<SessionDetails> findWithClaims(SessionId id) {
                return administration.findWithClaims(id);
            }

            @Override
            public List<SessionDetails> pageOfUser(UserId userId, SessionCursor after, int limit) {
                List<SessionDetails> page = administration.pageOfUser(userId, after, limit);
                pageSizes.add(page.size());
                return page;
            }
        };

        List<SessionDetails> listed = new ListOwnSessionsService(counting).listOwn(new Caller(alice, null));

        assertEquals(stored, ids(listed));
        assertEquals(List.of(1000, 1000, 1), pageSizes);
    }

    @Test
    void exactlyOneReadOfSessionsEndsWithAnEmptyRead() {
        Instant t = ports.clock().peek();
        for (int i = 0; i < ListOwnSessionsService.PAGE_SIZE; i++) {
            rows.store(alice, t.plusSeconds(i));
        }

        assertEquals(1000, new ListOwnSessionsService(administration).listOwn(new Caller(alice, null)).size());
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
