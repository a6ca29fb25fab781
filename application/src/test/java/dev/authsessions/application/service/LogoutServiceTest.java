package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.AuthenticateUseCase.Caller;
import dev.authsessions.application.port.in.LogoutUseCase.Scope;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogoutServiceTest {
    private InMemoryPorts ports;
    private LogoutService service;
    private User alice;
    private User bob;
    private Session a1;
    private Session a2;
    private Session a3;
    private Session b1;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new LogoutService(ports.sessions());
        alice = ports.newUser("alice@example.com");
        bob = ports.newUser("bob@example.com");
        a1 = start(alice);
        a2 = start(alice);
        a3 = start(alice);
        b1 = start(bob);
    }

    private Session start(User user) {
        return new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(),
                ports.random(), ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                        "ua", "192.0.2.1", null, null, null))
                .session();
    }

    private Set<SessionId> remaining(User user) {
        return ports.sessions().sessionsOf(user.id()).stream().map(Session::id).collect(Collectors.toSet());
    }

    @Test
    void localDeletesOnlyTheCallersSession() {
        service.logout(new Caller(alice, a2), Scope.LOCAL);

        assertEquals(Set.of(a1.id(), a3.id()), remaining(alice));
        assertEquals(Set.of(b1.id()), remaining(bob));
    }

    @Test
    void othersDeletesTheCallersOtherSessionsOnly() {
        service.logout(new Caller(alice, a2), Scope.OTHERS);

        assertEquals(Set.of(a2.id()), remaining(alice));
        assertEquals(Set.of(b1.id()), remaining(bob));
    }

    @Test
    void globalDeletesEveryOneOfTheCallersSessions() {
        service.logout(new Caller(alice, a2), Scope.GLOBAL);

        assertEquals(Set.of(), remaining(alice));
        assertEquals(Set.of(b1.id()), remaining(bob));
        assertEquals(Optional.empty(), ports.sessions().findById(a2.id()));
        assertEquals(List.of(), ports.sessions().claimsOf(a1.id()));
    }

    @Test
    void scopesParseFromTheirQueryValues() {
        assertEquals(Optional.of(Scope.GLOBAL), Scope.fromValue("global"));
        assertEquals(Optional.of(Scope.LOCAL), Scope.fromValue("local"));
        assertEquals(Optional.of(Scope.OTHERS), Scope.fromValue("others"));
        assertEquals(Optional.empty(), Scope.fromValue("GLOBAL"));
        assertEquals(Optional.empty(), Scope.fromValue(null));
    }
}
