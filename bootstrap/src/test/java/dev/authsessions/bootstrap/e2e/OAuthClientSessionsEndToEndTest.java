package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sessions of OAuth clients (default configuration): client authentication on refresh, claims, deletion, scopes. */
class OAuthClientSessionsEndToEndTest {
    private static final String SECRET = "confidential-client-secret-0123456789";

    private static ServiceUnderTest it;
    private static UUID publicClient;
    private static UUID confidentialClient;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of());
        publicClient = UUID.randomUUID();
        confidentialClient = UUID.randomUUID();
        Api.Reply pub = it.api.putOAuthClient(publicClient, Map.of("client_name", "Public app", "client_type", "public"));
        assertEquals(201, pub.status(), pub.raw());
        Api.Reply conf = it.api.putOAuthClient(confidentialClient,
                Map.of("client_name", "Server app", "client_type", "confidential", "client_secret", SECRET));
        assertEquals(201, conf.status(), conf.raw());
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    private static JsonNode startFor(UUID user, UUID client, String scopes) {
        return it.api.startSession(user, Map.of("oauth_client_id", client.toString(), "scopes", scopes));
    }

    private static Map<String, String> clientId(UUID client) {
        return Map.of("client_id", client.toString());
    }

    private static void assertClientClaims(JsonNode grant, UUID client, String scopes) {
        JsonNode jwt = Tokens.payloadOf(grant.path("access_token").asText());
        assertEquals(client.toString(), jwt.path("client_id").asText());
        assertEquals(scopes, jwt.path("scope").asText());
    }

    @Test
    void aPublicClientsSessionRefreshesWithItsClientIdOnly() {
        UUID user = it.api.createUser();
        JsonNode started = startFor(user, publicClient, "openid email");
        UUID session = Expect.sessionIdOf(started);
        assertClientClaims(started, publicClient, "openid email");
        assertEquals(publicClient.toString(), it.rows.session(session).orElseThrow().get("oauth_client_id"));
        assertEquals("openid email", it.rows.session(session).orElseThrow().get("scopes"));
        String token = started.path("refresh_token").asText();

        it.clock.advance(Duration.ofMinutes(1));
        Expect.invalidClient(it.api.refresh(token));
        Expect.invalidClient(it.api.refresh(token, clientId(confidentialClient), Map.of()));
        Expect.invalidClient(it.api.refresh(token, clientId(UUID.randomUUID()), Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of("client_id", "not-a-client-id"), Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of("client_secret", SECRET), Map.of()));
        assertEquals(0L, it.rows.counterOf(session).orElseThrow(), "refused refreshes change nothing");

        JsonNode refreshed = Expect.ok(it.api.refresh(token, clientId(publicClient), Map.of()));
        assertClientClaims(refreshed, publicClient, "openid email");
        JsonNode viaBasic = Expect.ok(it.api.refresh(refreshed.path("refresh_token").asText(), Map.of(),
                Api.basic(publicClient.toString(), "")));
        assertClientClaims(viaBasic, publicClient, "openid email");
        assertEquals(2L, it.rows.counterOf(session).orElseThrow());
    }

    @Test
    void aConfidentialClientsSessionNeedsItsSecretInTheBodyOrAsHttpBasic() {
        UUID user = it.api.createUser();
        JsonNode started = startFor(user, confidentialClient, "openid profile offline_access");
        UUID session = Expect.sessionIdOf(started);
        String token = started.path("refresh_token").asText();

        it.clock.advance(Duration.ofMinutes(1));
        Expect.invalidClient(it.api.refresh(token));
        Expect.invalidClient(it.api.refresh(token, clientId(confidentialClient), Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of("client_id", confidentialClient.toString(), "client_secret", SECRET + "x"),
                Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of("client_id", publicClient.toString(), "client_secret", SECRET), Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of(), Api.basic(confidentialClient.toString(), "wrong")));
        Expect.invalidClient(it.api.refresh(token, Map.of(), Api.basic(confidentialClient.toString(), "")));
        Expect.invalidClient(it.api.refresh(token, Map.of("client_id", publicClient.toString()),
                Api.basic(confidentialClient.toString(), SECRET)));
        assertEquals(0L, it.rows.counterOf(session).orElseThrow());

        JsonNode inBody = Expect.ok(it.api.refresh(token,
                Map.of("client_id", confidentialClient.toString(), "client_secret", SECRET), Map.of()));
        assertClientClaims(inBody, confidentialClient, "openid profile offline_access");
        Api.Reply basic = it.api.refresh(inBody.path("refresh_token").asText(), Map.of(),
                Api.basic(confidentialClient.toString(), SECRET));
        assertClientClaims(Expect.ok(basic), confidentialClient, "openid profile offline_access");
        assertEquals(2L, it.rows.counterOf(session).orElseThrow());
    }

    @Test
    void aPlainSessionRefreshedWithAClientIdIsRefused() {
        JsonNode started = it.api.startSession(it.api.createUser());
        String token = started.path("refresh_token").asText();
        assertTrue(Tokens.payloadOf(started.path("access_token").asText()).path("client_id").isMissingNode());

        Expect.invalidClient(it.api.refresh(token, clientId(publicClient), Map.of()));
        Expect.invalidClient(it.api.refresh(token, Map.of(), Api.basic(confidentialClient.toString(), SECRET)));
        assertEquals(0L, it.rows.counterOf(Expect.sessionIdOf(started)).orElseThrow());
        JsonNode plain = Expect.ok(it.api.refresh(token));
        assertTrue(Tokens.payloadOf(plain.path("access_token").asText()).path("client_id").isMissingNode());
    }

    @Test
    void deletingAClientDeletesItsSessionsAndNoOthers() {
        UUID doomed = UUID.randomUUID();
        assertEquals(201, it.api.putOAuthClient(doomed, Map.of("client_type", "public")).status());
        UUID user = it.api.createUser();
        JsonNode first = startFor(user, doomed, "openid");
        JsonNode second = startFor(it.api.createUser(), doomed, "email");
        JsonNode otherClient = startFor(user, publicClient, "openid");
        JsonNode plain = it.api.startSession(user);

        assertEquals(204, it.api.deleteOAuthClient(doomed).status());
        assertFalse(it.rows.sessionExists(Expect.sessionIdOf(first)));
        assertFalse(it.rows.sessionExists(Expect.sessionIdOf(second)));
        assertTrue(it.rows.sessionExists(Expect.sessionIdOf(otherClient)));
        assertTrue(it.rows.sessionExists(Expect.sessionIdOf(plain)));
        long clientRows = it.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM auth.oauth_clients WHERE id = :id").bind("id", doomed).mapTo(Long.class).one());
        assertEquals(0L, clientRows);

        Expect.error(it.api.refresh(first.path("refresh_token").asText(), clientId(doomed), Map.of()),
                400, "refresh_token_not_found", null);
        Expect.error(it.api.deleteOAuthClient(doomed), 404, "oauth_client_not_found", null);
        Expect.ok(it.api.refresh(otherClient.path("refresh_token").asText(), clientId(publicClient), Map.of()));
    }

    @Test
    void scopesAreLimitedTo4096CharactersAndNothingIsWrittenOnRefusal() {
        UUID user = it.api.createUser();
        String before = it.rows.snapshot();
        Api.Reply tooLong = it.api.tryStartSession(Map.of("user_id", user.toString(), "authentication_method", "password",
                "oauth_client_id", publicClient.toString(), "scopes", "a".repeat(4097)));
        Expect.error(tooLong, 400, "validation_failed", null);
        Api.Reply withoutClient = it.api.tryStartSession(Map.of("user_id", user.toString(), "authentication_method", "password",
                "scopes", "openid"));
        Expect.error(withoutClient, 400, "validation_failed", null);
        Api.Reply unknownClient = it.api.tryStartSession(Map.of("user_id", user.toString(), "authentication_method", "password",
                "oauth_client_id", UUID.randomUUID().toString(), "scopes", "openid"));
        Expect.error(unknownClient, 404, "oauth_client_not_found", null);
        assertEquals(before, it.rows.snapshot(), "refused starts write nothing");

        // 4096 characters exactly: 64 scopes of 63 characters and 63 spaces between them, plus one more character.
        String longest = String.join(" ", java.util.Collections.nCopies(64, "s".repeat(63))) + "z";
        assertEquals(4096, longest.length());
        JsonNode atLimit = startFor(user, publicClient, longest);
        assertEquals(longest, it.rows.session(Expect.sessionIdOf(atLimit)).orElseThrow().get("scopes"));
        assertClientClaims(atLimit, publicClient, longest);
    }

    @Test
    void anOAuthSessionWithoutScopesHasAnEmptyScopeClaim() {
        JsonNode started = it.api.startSession(it.api.createUser(), Map.of("oauth_client_id", publicClient.toString()));
        assertNull(it.rows.session(Expect.sessionIdOf(started)).orElseThrow().get("scopes"));
        JsonNode refreshed = Expect.ok(it.api.refresh(started.path("refresh_token").asText(), clientId(publicClient), Map.of()));
        JsonNode jwt = Tokens.payloadOf(refreshed.path("access_token").asText());
        assertEquals(publicClient.toString(), jwt.path("client_id").asText());
        assertEquals("", jwt.path("scope").asText());
    }
}
