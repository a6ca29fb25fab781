package dev.authsessions.domain;

import java.time.Instant;

/** A minimal valid session for tests that only care about one field. */
final class SessionsForTests {
    private SessionsForTests() {
    }

    static Session session(HmacKey key, long counter) {
        Instant created = Instant.parse("2026-03-01T08:00:00Z");
        return new Session(SessionId.parse("6f1d8a52-3c4b-4e7a-9d21-0b5c8e7f4a13"),
                UserId.parse("11111111-2222-4333-8444-555555555555"), created, created, null, Aal.AAL1, null, null,
                "ua", "127.0.0.1", null, null, key, counter, null);
    }
}
