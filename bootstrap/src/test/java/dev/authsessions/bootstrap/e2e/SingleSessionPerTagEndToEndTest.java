package dev.authsessions.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code AUTH_SESSIONS_SINGLE_PER_USER=true} with {@code AUTH_SESSIONS_TAGS=web,mobile}: one session
 * per user and tag; no tag or an unknown tag counts as {@code web}, the first configured tag.
 */
class SingleSessionPerTagEndToEndTest {
    private static ServiceUnderTest it;

    @BeforeAll
    static void start() {
        it = ServiceUnderTest.start(Map.of("AUTH_SESSIONS_SINGLE_PER_USER", "true", "AUTH_SESSIONS_TAGS", "web,mobile"));
    }

    @AfterAll
    static void stop() {
        it.close();
    }

    private static JsonNode login(UUID user, String tag) {
        it.clock.advance(Duration.ofMinutes(1));
        return tag == null ? it.api.startSession(user) : it.api.startSession(user, Map.of("tag", tag));
    }

    private static String refreshOk(JsonNode session) {
        return Expect.ok(it.api.refresh(session.path("refresh_token").asText())).path("refresh_token").asText();
    }

    @Test
    void sessionsOfDifferentTagsCoexist() {
        UUID user = it.api.createUser();
        JsonNode web = login(user, "web");
        JsonNode mobile = login(user, "mobile");
        it.clock.advance(Duration.ofSeconds(1));
        String webToken = refreshOk(web);
        String mobileToken = refreshOk(mobile);
        it.clock.advance(Duration.ofMinutes(1));
        Expect.ok(it.api.refresh(mobileToken));
        Expect.ok(it.api.refresh(webToken));
    }

    @Test
    void aNewerLoginWithTheSameTagRevokesTheOlderOneOnly() {
        UUID user = it.api.createUser();
        JsonNode web = login(user, "web");
        JsonNode mobile = login(user, "mobile");
        JsonNode newerMobile = login(user, "mobile");
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(mobile.path("refresh_token").asText()));
        refreshOk(newerMobile);
        refreshOk(web);
    }

    @Test
    void aSessionWithoutATagCountsAsWeb() {
        UUID user = it.api.createUser();
        JsonNode web = login(user, "web");
        JsonNode mobile = login(user, "mobile");
        JsonNode untagged = login(user, null);
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(web.path("refresh_token").asText()));
        refreshOk(mobile);
        String untaggedToken = refreshOk(untagged);

        // And the other way round: a newer web login revokes the untagged session.
        JsonNode newerWeb = login(user, "web");
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(untaggedToken));
        refreshOk(newerWeb);
    }

    @Test
    void aSessionWithAnUnknownTagCountsAsWeb() {
        UUID user = it.api.createUser();
        JsonNode untagged = login(user, null);
        JsonNode mobile = login(user, "mobile");
        JsonNode tv = login(user, "tv");
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(untagged.path("refresh_token").asText()));
        refreshOk(mobile);
        String tvToken = refreshOk(tv);

        JsonNode web = login(user, "web");
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(tvToken));
        refreshOk(web);
        // Tags are exact: "Mobile" is not "mobile", so it is web's group too.
        JsonNode capitalised = login(user, "Mobile");
        it.clock.advance(Duration.ofSeconds(1));
        Expect.revokedByNewerLogin(it.api.refresh(web.path("refresh_token").asText()));
        refreshOk(capitalised);
        refreshOk(mobile);
    }
}
