package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeleteUserServiceTest {
    private InMemoryPorts ports;
    private DeleteUserService service;

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new DeleteUserService(ports.users(), DatabaseMode.STANDALONE);
    }

    private void start(User user) {
        new StartSessionService(ports.users(), ports.sessions(), ports.clients(), ports.signer(), ports.random(),
                ports.clock(), SessionSettings.defaults())
                .start(new StartSessionUseCase.Command(user.id(), AuthenticationMethod.PASSWORD, null, null, null,
                        "ua", "192.0.2.1", null, null, null));
    }

    @Test
    void deletingAUserDeletesItsSessionsAndNoOneElses() {
        User alice = ports.newUser("alice@example.com");
        User bob = ports.newUser("bob@example.com");
        start(alice);
        start(alice);
        start(bob);

        service.delete(alice.id());

        assertEquals(Optional.empty(), ports.users().findById(alice.id()));
        assertEquals(0, ports.sessions().sessionsOf(alice.id()).size());
        assertEquals(Optional.of(bob), ports.users().findById(bob.id()));
        assertEquals(1, ports.sessions().sessionsOf(bob.id()).size());
    }

    @Test
    void anUnknownUserIsNotFound() {
        Rejection rejection = assertThrows(Rejection.class, () -> service.delete(new UserId(UUID.randomUUID())));

        assertEquals(Rejection.Kind.NOT_FOUND, rejection.kind());
        assertEquals(ErrorCode.USER_NOT_FOUND, rejection.code());
    }

    @Test
    void aSecondDeleteIsNotFound() {
        User alice = ports.newUser("alice@example.com");
        service.delete(alice.id());

        Rejection rejection = assertThrows(Rejection.class, () -> service.delete(alice.id()));

        assertEquals(ErrorCode.USER_NOT_FOUND, rejection.code());
    }
}
