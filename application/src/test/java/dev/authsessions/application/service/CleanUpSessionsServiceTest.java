package dev.authsessions.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authsessions.application.fakes.InMemorySessionAdministration;
import dev.authsessions.application.fakes.InMemoryPorts;
import dev.authsessions.application.fakes.RecordingSessionEvents;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase.Result;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.SessionPolicy;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CleanUpSessionsServiceTest {
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Duration TIMEBOX = Duration.ofDays(7);
    private static final Duration INACTIVITY = Duration.ofHours(8);
    private static final Duration MS = Duration.ofMillis(1);

    private InMemoryPorts ports;
    private InMemorySessionAdministration administration;
    private SessionRows rows;
    private User alice;
    private Instant now;
    private final List<String> calls = new ArrayList<>();
    private final RecordingSessionEvents events = new RecordingSessionEvents();

    @BeforeEach
    void setUp() {
        ports = InMemoryPorts.create();
        administration = new InMemorySessionAdministration(ports.sessions());
        rows = new SessionRows(ports);
        alice = ports.newUser("alice@example.com");
        now = ports.clock().peek();
    }

    private CleanUpSessionsService service(SessionPolicy policy, int batchSize) {
        SessionCleanup recording = (expiry, cutoff, size) -> {
            int deleted = administration.deleteBatch(expiry, cutoff, size);
            calls.add(expiry + "@" + cutoff + "=" + deleted);
            return deleted;
        };
        SessionSettings settings = new SessionSettings(Duration.ofHours(1), RefreshTokenRules.DEFAULTS, policy, false, List.of());
        return new CleanUpSessionsService(recording, settings, new CleanupSettings(GRACE, batchSize), ports.clock(), events);
    }

    private Set<SessionId> remaining() {
        return ports.sessions().sessionsOf(alice.id()).stream().map(Session::id).collect(Collectors.toSet());
    }

    private Session withNotAfter(Instant notAfter) {
        return rows.store(alice, now.minus(Duration.ofDays(3)), notAfter, null, null);
    }

    @Test
    void aSessionPastNotAfterIsDeletedOnlyOnceTheGracePeriodHasPassed() {
        Instant limit = now.minus(GRACE);
        withNotAfter(limit.minus(MS));
        Session atTheLimit = withNotAfter(limit);
        Session justInside = withNotAfter(limit.plus(MS));
        Session future = withNotAfter(now.plus(Duration.ofDays(1)));
        Session none = rows.store(alice, now.minus(Duration.ofDays(400)));

        Result result = service(SessionPolicy.NONE, 1000).cleanUp();

        assertEquals(new Result(1, 0, 0), result);
        assertEquals(List.of("cleaned-up 1,0,0"), events.events(), "each pass reports its counts for the metrics");
        assertEquals(Set.of(atTheLimit.id(), justInside.id(), future.id(), none.id()), remaining());
    }

    @Test
    void theTimeboxCountsFromCreationPlusTheGracePeriod() {
        Instant limit = now.minus(TIMEBOX).minus(GRACE);
        rows.store(alice, limit.minus(MS));
        Session atTheLimit = rows.store(alice, limit);
        Session inside = rows.store(alice, limit.plus(MS));

        Result result = service(new SessionPolicy(Optional.of(TIMEBOX), Optional.empty(), Optional.empty()), 1000).cleanUp();

        assertEquals(new Result(0, 1, 0), result);
        assertEquals(Set.of(atTheLimit.id(), inside.id()), remaining());
    }

    @Test
    void inactivityCountsFromTheLastRefreshOrElseTheCreation() {
        Instant limit = now.minus(INACTIVITY).minus(GRACE);
        Instant longAgo = now.minus(Duration.ofDays(30));
        rows.store(alice, longAgo, null, limit.minus(MS), null);
        Session refreshedAtTheLimit = rows.store(alice, longAgo, null, limit, null);
        Session refreshedInside = rows.store(alice, longAgo, null, limit.plus(MS), null);
        rows.store(alice, limit.minus(MS));
        Session createdAtTheLimit = rows.store(alice, limit);

        Result result = service(new SessionPolicy(Optional.empty(), Optional.of(INACTIVITY), Optional.empty()), 1000).cleanUp();

        assertEquals(new Result(0, 0, 2), result);
        assertEquals(Set.of(refreshedAtTheLimit.id(), refreshedInside.id(), createdAtTheLimit.id()), remaining());
    }

    @Test
    void rulesThatAreOffDeleteNothingAndAreNotEvenAsked() {
        rows.store(alice, now.minus(Duration.ofDays(400)));

        assertEquals(new Result(0, 0, 0), service(SessionPolicy.NONE, 1000).cleanUp());

        assertEquals(1, remaining().size());
        assertEquals(1, calls.size());
        assertEquals(List.of("NOT_AFTER@" + now.minus(GRACE) + "=0"), calls);
    }

    @Test
    void aSessionExpiredForSeveralReasonsCountsUnderTheFirst() {
        Instant ancient = now.minus(Duration.ofDays(400));
        rows.store(alice, ancient, ancient.plusSeconds(1), null, null);
        rows.store(alice, ancient);
        SessionPolicy all = new SessionPolicy(Optional.of(TIMEBOX), Optional.of(INACTIVITY), Optional.empty());

        assertEquals(new Result(1, 1, 0), service(all, 1000).cleanUp());
        assertEquals(new Result(0, 0, 0), service(all, 1000).cleanUp());
        assertEquals(Set.of(), remaining());
    }

    @Test
    void batchesRunUntilOneComesBackShort() {
        for (int i = 0; i < 10; i++) {
            withNotAfter(now.minus(GRACE).minusSeconds(1 + i));
        }
        Session live = withNotAfter(now.plusSeconds(60));

        Result result = service(SessionPolicy.NONE, 3).cleanUp();

        assertEquals(new Result(10, 0, 0), result);
        assertEquals(List.of(3, 3, 3, 1), calls.stream().map(c -> Integer.parseInt(c.substring(c.indexOf('=') + 1))).toList());
        assertEquals(Set.of(live.id()), remaining());
    }

    @Test
    void aFullLastBatchIsFollowedByOneEmptyBatch() {
        for (int i = 0; i < 6; i++) {
            withNotAfter(now.minus(GRACE).minusSeconds(1 + i));
        }

        assertEquals(new Result(6, 0, 0), service(SessionPolicy.NONE, 3).cleanUp());
        assertEquals(List.of(3, 3, 0), calls.stream().map(c -> Integer.parseInt(c.substring(c.indexOf('=') + 1))).toList());
    }

    @Test
    void theCutoffsAreTakenOnceFromTheClockAtMicrosecondPrecision() {
        ports.clock().setInstant(Instant.parse("2026-03-01T10:15:30.123456789Z"));
        ports.clock().advanceOnEachRead(Duration.ofMinutes(1));
        Instant read = Instant.parse("2026-03-01T10:15:30.123456Z");

        service(new SessionPolicy(Optional.of(TIMEBOX), Optional.of(INACTIVITY), Optional.empty()), 10).cleanUp();

        assertEquals(List.of("NOT_AFTER@" + read.minus(GRACE) + "=0",
                "CREATED_AT@" + read.minus(GRACE).minus(TIMEBOX) + "=0",
                "LAST_REFRESHED_AT@" + read.minus(GRACE).minus(INACTIVITY) + "=0"), calls);
    }

    @Test
    void settingsRefuseANegativeGraceAndAnEmptyBatch() {
        assertThrows(IllegalArgumentException.class, () -> new CleanupSettings(Duration.ofSeconds(-1), 10));
        assertThrows(IllegalArgumentException.class, () -> new CleanupSettings(GRACE, 0));
        assertEquals(new CleanupSettings(Duration.ofHours(24), 1000), CleanupSettings.defaults());
    }
}
