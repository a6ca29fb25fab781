package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.authsessions.adapters.http.AccessTokenLimits;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, point 6 over real HTTP and PostgreSQL: a user whose every field is as large as the service
 * accepts, in an OAuth session with the longest scopes, signed RS256 under the longest key id and issuer,
 * gets an access token that every endpoint taking one accepts; metadata one byte over its limit is refused
 * and changes nothing. Characters are control characters where they can be (six bytes each in a token),
 * and the metadata holds numbers that come back from the database written out in full.
 */
class LargestAccessTokenEndToEndTest {
    /** Written {@code \u0001} in a token: the widest a character gets. */
    private static final String WIDEST = "\\u0001";
    private static final String WIDEST_SHORT_TEXT = WIDEST.repeat(255);
    /** Ten numbers of 301 digits each once PostgreSQL gives them back. */
    private static final String GROWING_NUMBERS = "[" + String.join(",", Collections.nCopies(10, "1e300")) + "]";

    private static ServiceUnderTest under;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k".repeat(256)).keyUse(KeyUse.SIGNATURE)
                .keyOperations(Set.of(KeyOperation.SIGN)).generate();
        under = ServiceUnderTest.start(Map.of(
                "AUTH_SESSIONS_JWT_SECRET", "",
                "AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + key.toJSONString() + "]}",
                "AUTH_SESSIONS_JWT_ISSUER", "https://" + "i".repeat(AccessTokenLimits.MAX_ISSUER_CHARS - 8)));
        api = under.api;
    }

    @AfterAll
    static void stop() {
        under.close();
    }

    /**
     * A metadata object that takes exactly {@code bytes} in a token: {@code {"big":[ten numbers],"pad":"…"}},
     * 3,038 bytes of structure and numbers, the rest control characters (and a few letters to land exactly).
     */
    private static String metadata(int bytes) {
        int fixed = "{\"big\":".length() + (2 + 10 * 301 + 9) + ",\"pad\":".length() + 2 + "}".length();
        int pad = bytes - fixed;
        return "{\"big\":" + GROWING_NUMBERS + ",\"pad\":\"" + WIDEST.repeat(pad / 6) + "x".repeat(pad % 6) + "\"}";
    }

    private static String userBody(String appMetadata, String userMetadata) {
        return "{\"aud\":\"" + WIDEST_SHORT_TEXT + "\",\"role\":\"" + WIDEST_SHORT_TEXT + "\",\"email\":\"" + WIDEST_SHORT_TEXT
                + "\",\"phone\":\"" + WIDEST_SHORT_TEXT + "\",\"app_metadata\":" + appMetadata + ",\"user_metadata\":" + userMetadata + "}";
    }

    private static Api.Reply putUser(UUID user, String body) {
        return api.send("PUT", "/admin/users/" + user, "application/json", body, api.admin());
    }

    @Test
    void theLargestTokenTheServiceIssuesIsAcceptedByEveryEndpointThatTakesOne() {
        UUID user = UUID.randomUUID();
        String largest = metadata(AccessTokenLimits.MAX_METADATA_BYTES);
        Api.Reply created = putUser(user, userBody(largest, largest));
        assertEquals(201, created.status(), created::summary);
        UUID client = UUID.randomUUID();
        assertEquals(201, api.putOAuthClient(client, Map.of("client_name", "largest", "client_type", "public")).status());
        UUID factor = UUID.randomUUID();
        assertTrue(api.registerFactor(user, factor).status() < 300);

        JsonNode started = api.startSession(user, Map.of("oauth_client_id", client.toString(), "scopes", "\u0001".repeat(4096)));
        UUID session = UUID.fromString(started.path("session").path("id").asText());
        Api.Reply steppedUp = api.stepUp(session, factor);
        assertEquals(200, steppedUp.status(), steppedUp::summary);
        String accessToken = steppedUp.json().path("access_token").asText();
        String refreshToken = steppedUp.json().path("refresh_token").asText();
        // Far past Jetty's former 8 KiB of headers and the verifier's former 16 K characters.
        assertTrue(accessToken.length() > 60_000, () -> "the token has only " + accessToken.length() + " characters");
        assertTrue(accessToken.length() <= AccessTokenLimits.MAX_TOKEN_CHARS);
        JsonNode other = api.startSession(user);

        Api.Reply me = api.user(accessToken);
        assertEquals(200, me.status(), me::summary);
        JsonNode big = me.json().path("user_metadata").path("big");
        assertEquals(301, big.get(0).bigIntegerValue().toString().length(), "the database gave the number back written out");
        assertEquals(255, me.json().path("email").asText().length());

        Api.Reply sessions = api.send("GET", "/sessions", null, null, Api.bearer(accessToken));
        assertEquals(200, sessions.status(), sessions::summary);
        assertEquals(2, sessions.json().path("sessions").size());

        Api.Reply ended = api.send("DELETE", "/sessions/" + other.path("session").path("id").asText(), null, null,
                Api.bearer(accessToken));
        assertEquals(204, ended.status(), ended::summary);

        Api.Reply refreshed = api.refresh(refreshToken, Map.of("client_id", client.toString()), Map.of());
        assertEquals(200, refreshed.status(), refreshed::summary);
        String refreshedToken = refreshed.json().path("access_token").asText();
        assertEquals(200, api.user(refreshedToken).status());

        Api.Reply logout = api.logout(refreshedToken, "local");
        assertEquals(204, logout.status(), logout::summary);
        assertEquals(403, api.user(refreshedToken).status(), "the session is gone");
    }

    @Test
    void metadataOneByteOverItsLimitIsRefusedAndChangesNothing() {
        UUID user = api.createUser();
        String small = "{\"plan\":\"free\"}";
        assertEquals(200, putUser(user, "{\"app_metadata\":" + small + ",\"user_metadata\":" + small + "}").status());
        String over = metadata(AccessTokenLimits.MAX_METADATA_BYTES + 1);
        for (String field : new String[] {"app_metadata", "user_metadata"}) {
            Api.Reply refused = putUser(user, "{\"" + field + "\":" + over + ",\"email\":\"changed@example.com\"}");
            assertEquals(400, refused.status(), refused::summary);
            assertEquals("validation_failed", refused.errorCode());
            assertTrue(refused.json().path("msg").asText().startsWith(field + " must be at most 8192 bytes"), refused::summary);
        }

        JsonNode grant = api.startSession(user);
        JsonNode me = api.user(grant.path("access_token").asText()).json();
        assertEquals("free", me.path("app_metadata").path("plan").asText());
        assertEquals("free", me.path("user_metadata").path("plan").asText());
        assertEquals(user + "@example.com", me.path("email").asText(), "nothing of the refused request was written");
    }
}
