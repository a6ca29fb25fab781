package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request that races the deletion of what it refers to ends in the 4xx a client can act on, never in a
 * 500: the service checks that the user (or OAuth client) exists, another request deletes it, and the
 * insert's foreign key finds nothing. The first tests make that interleaving certain with a trigger that
 * deletes the referenced row just before the insert, in the insert's own transaction (so the deletion is
 * rolled back with the refused insert); the last races real concurrent requests against a real delete.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RacesEndInA4xxTest {
    private static final int ROUNDS = 8;
    private static final int REQUESTS_PER_ROUND = 50;

    private static TestDatabase database;
    private static InProcessService service;
    private static Client api;
    private static AuthTables tables;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        service = InProcessService.start(database, new MutableClock());
        api = service.client();
        tables = new AuthTables(database);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Runs {@code request} while every insert into {@code table} first deletes the row its {@code column} names from {@code referenced}. */
    private static Client.Reply whileInsertsInto(String table, String column, String referenced, Callable<Client.Reply> request)
            throws Exception {
        database.jdbi().useHandle(h -> {
            h.execute("CREATE FUNCTION public.vanish() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " DELETE FROM " + referenced + " WHERE id = NEW." + column + "; RETURN NEW; END $$");
            h.execute("CREATE TRIGGER vanish BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION public.vanish()");
        });
        try {
            return request.call();
        } finally {
            database.jdbi().useHandle(h -> {
                h.execute("DROP TRIGGER vanish ON " + table);
                h.execute("DROP FUNCTION public.vanish()");
            });
        }
    }

    private static void assertRefused(Client.Reply reply, int status, String errorCode) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(errorCode, reply.errorCode(), reply::toString);
        assertEquals(errorCode, reply.header("x-sb-error-code"), reply::toString);
    }

    private static Client.Reply start(UUID user, Map<String, String> extra) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("user_id", user.toString(), "authentication_method", "password"));
        body.putAll(extra);
        return api.json("POST", "/admin/sessions", body, api.admin());
    }

    private static Client.Reply registerFactor(UUID user, UUID factor) {
        return api.json("PUT", "/admin/users/" + user + "/factors/" + factor, Map.of("factor_type", "totp"), api.admin());
    }

    @Test
    void aUserDeletedBetweenTheCheckAndTheInsertOfItsSessionIs404UserNotFound() throws Exception {
        UUID user = api.createUser();
        String before = tables.fingerprint();

        Client.Reply reply = whileInsertsInto("auth.sessions", "user_id", "auth.users", () -> start(user, Map.of()));

        assertRefused(reply, 404, "user_not_found");
        assertEquals(before, tables.fingerprint(), "nothing was written");
    }

    @Test
    void anOAuthClientDeletedBetweenTheCheckAndTheInsertOfItsSessionIs404OAuthClientNotFound() throws Exception {
        UUID user = api.createUser();
        UUID client = api.createOAuthClient("public", null);
        String before = tables.fingerprint();

        Client.Reply reply = whileInsertsInto("auth.sessions", "oauth_client_id", "auth.oauth_clients",
                () -> start(user, Map.of("oauth_client_id", client.toString(), "scopes", "openid")));

        assertRefused(reply, 404, "oauth_client_not_found");
        assertEquals(before, tables.fingerprint(), "nothing was written");
    }

    @Test
    void aUserDeletedBetweenTheCheckAndTheInsertOfItsFactorIs404UserNotFound() throws Exception {
        UUID user = api.createUser();
        String before = tables.fingerprint();

        Client.Reply reply = whileInsertsInto("auth.mfa_factors", "user_id", "auth.users", () -> registerFactor(user, UUID.randomUUID()));

        assertRefused(reply, 404, "user_not_found");
        assertEquals(before, tables.fingerprint(), "nothing was written");
    }

    /**
     * Rounds of 50 concurrent session starts and factor registrations for one user, with the user's deletion
     * among them: each is a 201 (it came before the deletion, whose cascade then removed what it wrote) or a
     * 404 {@code user_not_found} (after it, or caught between its check and its insert); the deletion is a 204.
     */
    @Test
    void startsAndRegistrationsRacingTheDeletionOfTheirUserAreEach201Or404NeverA5xx() throws Exception {
        Map<String, Integer> answers = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            UUID user = api.createUser();
            List<Callable<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                if (i == REQUESTS_PER_ROUND / 2) {
                    calls.add(() -> new Reply("delete", api.send("DELETE", "/admin/users/" + user, null, null, api.admin())));
                }
                calls.add(i % 2 == 0
                        ? () -> new Reply("start", start(user, Map.of()))
                        : () -> new Reply("factor", registerFactor(user, UUID.randomUUID())));
            }
            for (Reply reply : Concurrently.run(calls)) {
                int status = reply.answer().status();
                answers.merge(reply.kind() + " " + status, 1, Integer::sum);
                String context = "round " + round + ", " + reply.kind() + ": " + reply.answer();
                if (reply.kind().equals("delete")) {
                    assertEquals(204, status, context);
                } else if (status == 404) {
                    assertEquals("user_not_found", reply.answer().errorCode(), context);
                } else if (status != 201) {
                    fail("neither created nor user_not_found: " + context);
                }
            }
            assertTrue(tables.sessionsOf(user).isEmpty(), "round " + round + ": the deleted user's sessions went with it");
        }
        System.out.println("RacesEndInA4xxTest: " + answers);
    }

    private record Reply(String kind, Client.Reply answer) {
    }
}
