package dev.authsessions.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metadata numbers through every layer: a number a double can hold is stored and handed back at its
 * exact value (the admin answer, the token response, the access token's claims, {@code GET /user}, a
 * refresh), however many digits it has; one a double cannot hold is refused with a 400 that writes
 * nothing. Never a 500, also for numbers written into the database by someone else (GoTrue, SQL).
 */
class MetadataNumbersEndToEndTest {
    /** Reads answers as the service writes them: every decimal exact, however long. */
    private static final ObjectMapper EXACT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(1_000_000).build()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of());
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    private static JsonNode exact(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    private static JsonNode claimsOf(String accessToken) {
        return exact(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static void assertSameNumber(String sent, JsonNode answered, String where) {
        assertEquals(true, answered != null && answered.isNumber(), () -> where + ": not a number: " + answered);
        assertEquals(0, new BigDecimal(sent).compareTo(answered.decimalValue()), () -> where + ": sent " + shortened(sent)
                + ", answered " + shortened(answered.toString()));
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text
                : text.substring(0, 30) + "…(" + text.length() + " characters)…" + text.substring(text.length() - 20);
    }

    private Api.Reply putRaw(UUID user, String body) {
        return it.api.send("PUT", "/admin/users/" + user, "application/json", body, it.api.admin());
    }

    /** Each layer that hands the metadata back shows the number at its exact value. */
    private static void assertRoundTrips(UUID user, String number, Api.Reply put) {
        assertEquals(true, put.status() == 200 || put.status() == 201, () -> number + ": " + put.summary());
        assertSameNumber(number, exact(put.raw()).path("user_metadata").get("n"), "PUT /admin/users user_metadata");
        assertSameNumber(number, exact(put.raw()).path("app_metadata").get("n"), "PUT /admin/users app_metadata");

        Api.Reply started = it.api.tryStartSession(Map.of("user_id", user.toString(), "authentication_method", "password"));
        assertEquals(201, started.status(), () -> number + ": " + started.summary());
        JsonNode grant = exact(started.raw());
        assertSameNumber(number, grant.path("user").path("user_metadata").get("n"), "the token response");
        String access = grant.path("access_token").asText();
        assertSameNumber(number, claimsOf(access).path("user_metadata").get("n"), "the access token's user_metadata claim");
        assertSameNumber(number, claimsOf(access).path("app_metadata").get("n"), "the access token's app_metadata claim");

        Api.Reply self = it.api.user(access);
        assertEquals(200, self.status(), () -> number + ": GET /user " + self.summary());
        assertSameNumber(number, exact(self.raw()).path("user_metadata").get("n"), "GET /user");

        Api.Reply refreshed = it.api.refresh(grant.path("refresh_token").asText());
        assertEquals(200, refreshed.status(), () -> number + ": refresh " + refreshed.summary());
        assertSameNumber(number, exact(refreshed.raw()).path("user").path("user_metadata").get("n"), "a refresh");
        assertSameNumber(number, claimsOf(exact(refreshed.raw()).path("access_token").asText()).path("user_metadata").get("n"),
                "the refreshed access token");
    }

    @Test
    void everyNumberADoubleCanHoldIsKeptAtItsExactValue() {
        String longFraction = "1." + "7".repeat(900) + "e-300";
        String longInteger = "9".repeat(300);
        for (String number : List.of("0.1000000000000000000001", "123456789012345678901234567890", "-0", "-0.0", "1E+2", "1.0",
                "4.9e-324", "-4.9E-324", "1.7976931348623157e308", "1e-7", "3.14159265358979323846264338327950288419716939937510",
                "-12345678901234567890.000000000000000000001", longFraction, longInteger)) {
            UUID user = UUID.randomUUID();
            String body = "{\"user_metadata\":{\"n\":" + number + "},\"app_metadata\":{\"n\":" + number + "}}";
            assertRoundTrips(user, number, putRaw(user, body));
        }
    }

    @Test
    void aNumberADoubleCannotHoldIsRefusedAndNothingIsWritten() {
        UUID existing = UUID.randomUUID();
        assertEquals(201, putRaw(existing, "{\"user_metadata\":{\"n\":1}}").status());
        for (String number : List.of("1e-1100", "1e-400", "-2e-324", "1e400", "-1.8e308", "1" + "0".repeat(400),
                "0." + "0".repeat(400) + "1")) {
            for (UUID user : List.of(existing, UUID.randomUUID())) {
                String before = it.rows.snapshot();
                Api.Reply reply = putRaw(user, "{\"email\":\"changed@example.com\",\"user_metadata\":{\"deep\":{\"n\":[" + number + "]}}}");
                Expect.error(reply, 400, "validation_failed", "user_metadata contains a number that is out of range");
                assertEquals(before, it.rows.snapshot(), number);
                Api.Reply app = putRaw(user, "{\"app_metadata\":{\"n\":" + number + "}}");
                Expect.error(app, 400, "validation_failed", "app_metadata contains a number that is out of range");
                assertEquals(before, it.rows.snapshot(), number);
            }
        }
        String before = it.rows.snapshot();
        Expect.error(putRaw(existing, "{\"user_metadata\":{\"n\":" + "7".repeat(1001) + "}}"), 400, "bad_json",
                "Could not parse request body as JSON");
        assertEquals(before, it.rows.snapshot(), "a number longer than the parser reads");
    }

    @Test
    void metadataNestsUpToSixtyFourLevelsAndNoDeeper() {
        String deepest = "[".repeat(63) + "1" + "]".repeat(63);
        UUID user = UUID.randomUUID();
        Api.Reply put = putRaw(user, "{\"user_metadata\":{\"n\":" + deepest + "},\"app_metadata\":{\"n\":1}}");
        assertEquals(201, put.status(), put.summary());
        JsonNode started = it.api.startSession(user);
        Api.Reply self = it.api.user(started.path("access_token").asText());
        assertEquals(200, self.status(), self.summary());
        assertEquals(exact(deepest), exact(self.raw()).path("user_metadata").get("n"));

        for (String tooDeep : List.of("[".repeat(64) + "1" + "]".repeat(64), "[".repeat(997) + "1" + "]".repeat(997))) {
            String before = it.rows.snapshot();
            Expect.error(putRaw(user, "{\"user_metadata\":{\"n\":" + tooDeep + "}}"), 400, "validation_failed",
                    "user_metadata must not be nested more than 64 levels deep");
            assertEquals(before, it.rows.snapshot());
        }
    }

    /** GoTrue, or SQL, may have stored numbers the service itself would refuse: they are read and handed on exactly. */
    @Test
    void numbersSomeoneElseStoredAreReadBackExactly() {
        for (String number : List.of("1e-1100", "1e400", "-1." + "3".repeat(1500) + "e-2000")) {
            UUID user = it.api.createUser();
            JsonNode started = it.api.startSession(user);
            it.database.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE auth.users SET raw_user_meta_data = CAST(:meta AS jsonb) WHERE id = :id")
                    .bind("meta", "{\"n\":" + number + "}").bind("id", user).execute());

            Api.Reply refreshed = it.api.refresh(started.path("refresh_token").asText());
            assertEquals(200, refreshed.status(), () -> number + ": " + refreshed.summary());
            assertSameNumber(number, exact(refreshed.raw()).path("user").path("user_metadata").get("n"), "a refresh");
            String access = exact(refreshed.raw()).path("access_token").asText();
            assertSameNumber(number, claimsOf(access).path("user_metadata").get("n"), "the access token");
            Api.Reply self = it.api.user(access);
            assertEquals(200, self.status(), () -> number + ": GET /user " + self.summary());
            assertSameNumber(number, exact(self.raw()).path("user_metadata").get("n"), "GET /user");
        }
    }
}
