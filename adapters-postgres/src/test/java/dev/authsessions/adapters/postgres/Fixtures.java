package dev.authsessions.adapters.postgres;

import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.OAuthClientId;
import dev.authsessions.domain.Scopes;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Users, sessions and factors for repository tests; times are at database precision. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static final Random RANDOM = new Random(42);

    private Fixtures() {
    }

    static User user() {
        return new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated", "ada@example.com", "15550001",
                Map.of("provider", "email", "roles", java.util.List.of("a", "b")), Map.of("name", "Ada", "age", 36),
                false, null, T0, T0, false);
    }

    static HmacKey key() {
        byte[] bytes = new byte[HmacKey.LENGTH];
        RANDOM.nextBytes(bytes);
        return HmacKey.of(bytes);
    }

    static Session session(UserId user) {
        return new Session(new SessionId(UUID.randomUUID()), user, T0, T0, null, Aal.AAL1, null, null,
                "Mozilla/5.0", "203.0.113.7", null, null, key(), 0, null);
    }

    /** A session with every nullable column set. */
    static Session fullSession(UserId user, OAuthClientId client) {
        return new Session(new SessionId(UUID.randomUUID()), user, T0, T0.plusSeconds(1),
                new FactorId(UUID.randomUUID()), Aal.AAL2, T0.plus(30, ChronoUnit.DAYS), T0.plusSeconds(2),
                "curl/8.0", "2001:db8::1", "mobile", client, key(), 7, new Scopes("openid email"));
    }

    static AmrClaim claim(AuthenticationMethod method, Instant at) {
        return new AmrClaim(method, at);
    }

    static void addFactor(Jdbi jdbi, UserId user, String status) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at)
                        VALUES (:id, :user, 'phone', 'totp', CAST(:status AS auth.factor_status), now(), now())
                        """)
                .bind("id", UUID.randomUUID())
                .bind("user", user.value())
                .bind("status", status)
                .execute());
    }

    static void addClaim(Jdbi jdbi, SessionId session, String method, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
                        VALUES (:id, :session, :at, :at, :method)
                        """)
                .bind("id", UUID.randomUUID())
                .bind("session", session.value())
                .bind("at", at.atOffset(java.time.ZoneOffset.UTC))
                .bind("method", method)
                .execute());
    }

    static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
