package dev.authsessions.adapters.http;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.Map;

/** Domain values for the adapter tests. */
final class Fixtures {
    static final UserId USER_ID = UserId.parse("11111111-2222-4333-8444-555555555555");
    static final SessionId SESSION_ID = SessionId.parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    static final Instant CREATED = Instant.parse("2024-05-01T10:00:00.123456Z");
    static final Instant UPDATED = Instant.parse("2024-05-02T11:30:00Z");

    private Fixtures() {
    }

    static User user() {
        return new User(USER_ID, "authenticated", "authenticated", "ada@example.com", null,
                Map.of("provider", "email"), Map.of("name", "Ada"), false, null, CREATED, UPDATED, false);
    }

    static Session session(long counter) {
        return new Session(SESSION_ID, USER_ID, CREATED, UPDATED, null, Aal.AAL1, null, null, "agent/1", "203.0.113.9", null, null,
                HmacKey.of(new byte[32]), counter, null);
    }
}
