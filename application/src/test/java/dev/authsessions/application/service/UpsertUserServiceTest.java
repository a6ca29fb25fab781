package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.port.in.Change;
import dev.authsessions.application.port.in.UpsertUserUseCase.Command;
import dev.authsessions.application.port.in.UpsertUserUseCase.Result;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpsertUserServiceTest {
    private InMemoryPorts ports;
    private UpsertUserService service;
    private final UserId id = new UserId(UUID.fromString("8d0fb6a2-3c2e-4b7a-9a55-3a0c1f2e4d11"));

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        service = new UpsertUserService(ports.users(), ports.clock(), DatabaseMode.STANDALONE);
    }

    private Command onlyEmail(String email) {
        return new Command(id, Change.absent(), Change.absent(), Change.to(email), Change.absent(), Change.absent(),
                Change.absent(), Change.absent(), Change.absent());
    }

    private Command full(Instant bannedUntil) {
        return new Command(id, Change.to("my-aud"), Change.to("admin"), Change.to("ada@example.com"),
                Change.to("+15550100"), Change.to(Map.of("provider", "email")), Change.to(Map.of("name", "Ada")),
                Change.to(true), Change.to(bannedUntil));
    }

    @Test
    void aNewUserGetsGoTruesDefaults() {
        Instant now = ports.clock().peek();

        Result result = service.upsert(onlyEmail("ada@example.com"));

        assertTrue(result.created());
        User user = result.user();
        assertEquals("authenticated", user.aud());
        assertEquals("authenticated", user.role());
        assertEquals("ada@example.com", user.email());
        assertEquals(null, user.phone());
        assertEquals(Map.of(), user.appMetadata());
        assertEquals(Map.of(), user.userMetadata());
        assertFalse(user.isAnonymous());
        assertEquals(null, user.bannedUntil());
        assertEquals(now, user.createdAt());
        assertEquals(now, user.updatedAt());
        assertEquals(user, ports.users().findById(id).orElseThrow());
    }

    @Test
    void aNewUserTakesEveryGivenField() {
        Instant until = ports.clock().peek().plus(Duration.ofDays(1));

        User user = service.upsert(full(until)).user();

        assertEquals("my-aud", user.aud());
        assertEquals("admin", user.role());
        assertEquals("+15550100", user.phone());
        assertEquals(Map.of("provider", "email"), user.appMetadata());
        assertEquals(Map.of("name", "Ada"), user.userMetadata());
        assertTrue(user.isAnonymous());
        assertEquals(until, user.bannedUntil());
    }

    @Test
    void aPartialUpdateChangesOnlyTheGivenFields() {
        Instant until = ports.clock().peek().plus(Duration.ofDays(1));
        User before = service.upsert(full(until)).user();
        ports.clock().advance(Duration.ofMinutes(5));

        Result result = service.upsert(onlyEmail("grace@example.com"));

        assertFalse(result.created());
        User after = result.user();
        assertEquals("grace@example.com", after.email());
        assertEquals(before.aud(), after.aud());
        assertEquals(before.role(), after.role());
        assertEquals(before.phone(), after.phone());
        assertEquals(before.appMetadata(), after.appMetadata());
        assertEquals(before.userMetadata(), after.userMetadata());
        assertEquals(before.isAnonymous(), after.isAnonymous());
        assertEquals(until, after.bannedUntil());
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(ports.clock().peek(), after.updatedAt());
        assertEquals(after, ports.users().findById(id).orElseThrow());
    }

    @Test
    void anExplicitNullClearsBannedUntilWhileAbsenceKeepsIt() {
        service.upsert(full(ports.clock().peek().plus(Duration.ofDays(1))));

        User kept = service.upsert(onlyEmail("x@example.com")).user();
        User cleared = service.upsert(new Command(id, Change.absent(), Change.absent(), Change.absent(),
                Change.absent(), Change.absent(), Change.absent(), Change.absent(), Change.to(null))).user();

        assertTrue(kept.bannedUntil() != null);
        assertEquals(null, cleared.bannedUntil());
        assertEquals(null, ports.users().findById(id).orElseThrow().bannedUntil());
    }

    @Test
    void anExplicitNullClearsTheEmail() {
        service.upsert(onlyEmail("ada@example.com"));

        User cleared = service.upsert(onlyEmail(null)).user();

        assertEquals(null, cleared.email());
    }

    @Test
    void anUpdateKeepsTheDerivedFactorFlag() {
        service.upsert(onlyEmail("ada@example.com"));
        ports.users().setVerifiedFactor(id, true);

        User updated = service.upsert(onlyEmail("new@example.com")).user();

        assertTrue(updated.hasVerifiedFactor());
    }

    @Test
    void timestampsAreAtMicrosecondPrecision() {
        ports.clock().setInstant(Instant.parse("2026-05-05T05:05:05.123456789Z"));

        User user = service.upsert(onlyEmail("ada@example.com")).user();

        assertEquals(Instant.parse("2026-05-05T05:05:05.123456Z"), user.createdAt());
    }
}
