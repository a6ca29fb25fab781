package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import dev.authsessions.bootstrap.AuthSessionsService;
import dev.authsessions.bootstrap.Configuration;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 4 over real HTTP and PostgreSQL: self-service, admin listing with a cursor, deletions, and a clean-up pass. */
class SessionsApiEndToEndTest {
    private static ServiceUnderTest under;
    private static Api api;

    @BeforeAll
    static void start() {
        under = ServiceUnderTest.start(Map.of());
        api = under.api;
    }

    @AfterAll
    static void stop() {
        under.close();
    }

    private static UUID idOf(JsonNode grant) {
        return UUID.fromString(grant.path("session").path("id").asText());
    }

    @Test
    void theCallerListsItsOwnSessionsNewestFirstAndEndsOneButNeverAnotherUsers() {
        UUID user = api.createUser();
        UUID other = api.createUser();
        JsonNode first = api.startSession(user);
        under.clock.advance(Duration.ofSeconds(1));
        JsonNode second = api.startSession(user);
        under.clock.advance(Duration.ofSeconds(1));
        JsonNode third = api.startSession(user);
        JsonNode foreign = api.startSession(other);
        String access = second.path("access_token").asText();

        Api.Reply list = api.send("GET", "/sessions", null, null, Api.bearer(access));
        assertEquals(200, list.status(), list.raw());
        List<String> ids = new ArrayList<>();
        list.json().path("sessions").forEach(s -> ids.add(s.path("id").asText()));
        assertEquals(List.of(idOf(third).toString(), idOf(second).toString(), idOf(first).toString()), ids);
        list.json().path("sessions").forEach(s -> assertEquals(s.path("id").asText().equals(idOf(second).toString()),
                s.path("current").asBoolean(), "current marks the caller's own session"));
        assertEquals("password", list.json().path("sessions").get(0).path("amr").get(0).path("method").asText());

        Api.Reply notMine = api.send("DELETE", "/sessions/" + idOf(foreign), null, null, Api.bearer(access));
        assertEquals(404, notMine.status());
        assertEquals("session_not_found", notMine.errorCode());
        assertTrue(under.rows.sessionExists(idOf(foreign)));
        Api.Reply malformed = api.send("DELETE", "/sessions/not-a-uuid", null, null, Api.bearer(access));
        assertEquals(400, malformed.status());
        assertEquals("validation_failed", malformed.errorCode());

        Api.Reply end = api.send("DELETE", "/sessions/" + idOf(first), null, null, Api.bearer(access));
        assertEquals(204, end.status(), end.raw());
        assertFalse(under.rows.sessionExists(idOf(first)));
        assertTrue(under.rows.sessionExists(idOf(second)));
    }

    /** 2,501 sessions: never one answer; the default page is 100, and following next_cursor reaches each exactly once. */
    @Test
    void theCallerPagesThroughThousandsOfOwnSessionsNewestFirst() {
        UUID user = api.createUser();
        JsonNode mine = api.startSession(user);
        String access = mine.path("access_token").asText();
        under.rows.insertSessions(user, 2_500, under.clock.peek().minusSeconds(1));

        Api.Reply first = api.send("GET", "/sessions", null, null, Api.bearer(access));
        assertEquals(200, first.status(), first.summary());
        assertEquals(100, first.json().path("sessions").size(), "the default page");
        assertTrue(first.json().path("next_cursor").isTextual());
        assertTrue(first.json().path("sessions").get(0).path("current").asBoolean(), "the newest is the caller's own");

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        int currents = 0;
        String cursor = null;
        for (int round = 0; round < 10; round++) {
            Api.Reply page = api.send("GET", "/sessions?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), null, null,
                    Api.bearer(access));
            assertEquals(200, page.status(), page.summary());
            pageSizes.add(page.json().path("sessions").size());
            for (JsonNode s : page.json().path("sessions")) {
                seen.add(s.path("id").asText());
                created.add(Instant.parse(s.path("created_at").asText()));
                currents += s.path("current").asBoolean() ? 1 : 0;
            }
            JsonNode next = page.json().get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
            if (cursor == null) {
                break;
            }
        }
        assertEquals(List.of(1000, 1000, 501), pageSizes);
        assertEquals(2_501, new HashSet<>(seen).size(), "each session exactly once");
        assertEquals(new HashSet<>(under.rows.sessionsOf(user).stream().map(UUID::toString).toList()), new HashSet<>(seen));
        assertEquals(idOf(mine).toString(), seen.get(0));
        assertEquals(1, currents, "current marks exactly the caller's session");
        for (int i = 1; i < created.size(); i++) {
            assertFalse(created.get(i).isAfter(created.get(i - 1)), "newest first");
        }

        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "limit=-1", "cursor=garbage",
                "cursor=" + HandMadeCursor.of(1, Long.MIN_VALUE, UUID.randomUUID(), 0))) {
            Api.Reply refused = api.send("GET", "/sessions?" + bad, null, null, Api.bearer(access));
            assertEquals(400, refused.status(), bad + " " + refused.summary());
            assertEquals("validation_failed", refused.errorCode(), bad);
        }
    }

    @Test
    void theAdminPagesThroughAUsersSessionsWithAStableCursor() {
        UUID user = api.createUser();
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(idOf(api.startSession(user)));
            under.clock.advance(Duration.ofMillis(10));
        }
        Api.Reply firstPage = api.send("GET", "/admin/users/" + user + "/sessions?limit=3", null, null, api.admin());
        assertEquals(200, firstPage.status(), firstPage.raw());
        List<String> seen = new ArrayList<>();
        firstPage.json().path("sessions").forEach(s -> seen.add(s.path("id").asText()));
        String cursor = firstPage.json().path("next_cursor").asText();

        // Between pages: a newer session arrives and an already-listed one ends; neither disturbs the next page.
        api.startSession(user);
        api.send("DELETE", "/admin/sessions/" + seen.get(0), null, null, api.admin());

        while (cursor != null && !cursor.isEmpty() && !"null".equals(cursor)) {
            Api.Reply page = api.send("GET", "/admin/users/" + user + "/sessions?limit=3&cursor=" + cursor, null, null, api.admin());
            assertEquals(200, page.status(), page.raw());
            page.json().path("sessions").forEach(s -> seen.add(s.path("id").asText()));
            JsonNode next = page.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        }
        List<String> expected = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            expected.add(created.get(i).toString());
        }
        assertEquals(expected, seen, "every original session exactly once, newest first");

        assertEquals(400, api.send("GET", "/admin/users/" + user + "/sessions?limit=0", null, null, api.admin()).status());
        assertEquals(400, api.send("GET", "/admin/users/" + user + "/sessions?limit=1001", null, null, api.admin()).status());
        assertEquals(400, api.send("GET", "/admin/users/" + user + "/sessions?cursor=garbage", null, null, api.admin()).status());
        assertEquals(401, api.send("GET", "/admin/users/" + user + "/sessions", null, null, Map.of()).status());
    }

    /**
     * Every hand-made cursor is a 400 {@code validation_failed} or, when it names a position PostgreSQL can hold, a page;
     * never a 500. Times are seeded random longs over the whole range the format can carry.
     */
    @Test
    void handMadeCursorsAreRefusedOrReadButNeverAServerError() {
        UUID user = api.createUser();
        Instant created = Instant.parse(api.startSession(user).path("session").path("created_at").asText());
        long createdMicros = created.getEpochSecond() * 1_000_000L + created.getNano() / 1_000;
        Random random = new Random(20261203L);
        UUID id = new UUID(random.nextLong(), random.nextLong());
        List<Long> times = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, PG_EARLIEST_MICROS - 1,
                PG_EARLIEST_MICROS, -1L, 0L, 1L, 253_402_300_799_999_999L, 253_402_300_800_000_000L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        for (int i = 0; i < 60; i++) {
            times.add(random.nextLong());
        }
        for (long micros : times) {
            String cursor = HandMadeCursor.of(1, micros, id, 0);
            Api.Reply reply = api.send("GET", "/admin/users/" + user + "/sessions?cursor=" + cursor, null, null, api.admin());
            if (micros < PG_EARLIEST_MICROS) {
                expectRefused(reply, cursor);
            } else {
                assertEquals(200, reply.status(), micros + " " + cursor + " -> " + reply.raw());
                assertEquals(micros > createdMicros ? 1 : 0, reply.json().path("sessions").size(), micros + " " + reply.raw());
            }
        }

        List<String> refused = new ArrayList<>();
        for (int version : new int[] {0, 2, 127, 128, 255}) {
            refused.add(HandMadeCursor.of(version, 0, id, 0));
        }
        for (int extra : new int[] {-25, -8, -1, 1, 2, 3, 30}) {
            refused.add(HandMadeCursor.of(1, 0, id, extra));
        }
        for (int i = 0; i < 60; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            refused.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        String valid = HandMadeCursor.of(1, 0, id, 0);
        refused.add(valid.substring(1));
        refused.add(valid + "A");
        refused.add(valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A"));
        refused.add("%00" + valid);
        refused.add(valid.replace('A', '+'));
        for (String cursor : refused) {
            expectRefused(api.send("GET", "/admin/users/" + user + "/sessions?cursor=" + cursor, null, null, api.admin()), cursor);
        }
    }

    private static void expectRefused(Api.Reply reply, String cursor) {
        assertEquals(400, reply.status(), cursor + " -> " + reply.raw());
        assertEquals("validation_failed", reply.errorCode(), cursor);
        assertEquals("cursor is not valid", reply.json().path("msg").asText(), cursor);
    }

    /**
     * 4714-11-24 00:00 BC, PostgreSQL's earliest timestamptz, in microseconds since 1970. Its latest (294276 AD) lies
     * beyond the largest long, so every later time the format can carry is one PostgreSQL holds.
     */
    private static final long PG_EARLIEST_MICROS = Instant.parse("-4713-11-24T00:00:00Z").getEpochSecond() * 1_000_000L;

    /** Cursors written by hand as the wire format says: version, epoch microseconds, id, then 4 bytes of SHA-256 of those. */
    private static final class HandMadeCursor {
        static String of(int version, long micros, UUID id, int extraBytes) {
            ByteBuffer payload = ByteBuffer.allocate(Math.max(0, 25 + extraBytes));
            ByteBuffer full = ByteBuffer.allocate(25).put((byte) version).putLong(micros)
                    .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            payload.put(full.array(), 0, Math.min(25, payload.capacity()));
            byte[] bytes = payload.array();
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                byte[] withChecksum = Arrays.copyOf(bytes, bytes.length + 4);
                System.arraycopy(digest, 0, withChecksum, bytes.length, 4);
                return Base64.getUrlEncoder().withoutPadding().encodeToString(withChecksum);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void adminDeletionsAndTheUserCascadeRemoveExactlyTheRightRows() {
        UUID user = api.createUser();
        UUID keep = idOf(api.startSession(user));
        api.startSession(user);
        api.startSession(user);

        Api.Reply one = api.send("GET", "/admin/sessions/" + keep, null, null, api.admin());
        assertEquals(200, one.status(), one.raw());
        assertEquals("password", one.json().path("amr").get(0).path("method").asText());

        Api.Reply allBut = api.send("DELETE", "/admin/users/" + user + "/sessions?except=" + keep, null, null, api.admin());
        assertEquals(204, allBut.status(), allBut.raw());
        assertEquals(List.of(keep), under.rows.sessionsOf(user));

        Api.Reply deleteUser = api.send("DELETE", "/admin/users/" + user, null, null, api.admin());
        assertEquals(204, deleteUser.status(), deleteUser.raw());
        assertEquals(List.of(), under.rows.sessionsOf(user));
        assertEquals(List.of(), under.rows.claimMethodsOf(keep), "claims go with their session");
        assertEquals(404, api.send("GET", "/admin/sessions/" + keep, null, null, api.admin()).status());
        assertEquals(404, api.send("DELETE", "/admin/users/" + user, null, null, api.admin()).status());
    }

    @Test
    void theCleanupCommandDeletesSessionsExpiredLongerThanTheGraceAndNothingElse() {
        UUID user = api.createUser();
        JsonNode expiring = api.startSession(user, Map.of("not_after", under.clock.peek().plus(Duration.ofHours(1)).toString()));
        JsonNode live = api.startSession(user);
        under.clock.advance(Duration.ofHours(1).plus(Duration.ofHours(24)).plusSeconds(1));

        Configuration config = Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DATABASE_URL", under.database.databaseUrl(),
                "AUTH_SESSIONS_CLEANUP_GRACE", "24h"));
        CleanUpSessionsUseCase.Result result = AuthSessionsService.cleanUpOnce(config, under.clock).orElseThrow();
        assertEquals(1, result.pastNotAfter(), result.toString());
        assertEquals(1, result.total(), result.toString());
        assertFalse(under.rows.sessionExists(idOf(expiring)));
        assertTrue(under.rows.sessionExists(idOf(live)));
        Set<UUID> remaining = new HashSet<>(under.rows.sessionsOf(user));
        assertEquals(Set.of(idOf(live)), remaining);
    }
}
