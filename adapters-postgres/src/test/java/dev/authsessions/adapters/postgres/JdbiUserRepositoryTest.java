package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.port.out.UserRepository.Upserted;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbiUserRepositoryTest {
    private static TestDatabase database;
    private static Jdbi jdbi;
    private static JdbiUserRepository users;
    private static JdbiSessionRepository sessions;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        users = new JdbiUserRepository(jdbi);
        sessions = new JdbiSessionRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    /** Decimals read back as the BigDecimals the HTTP adapter hands in, exactly, however long PostgreSQL prints them. */
    @Test
    void metadataIsStoredAsJsonb() {
        User user = new User(new UserId(UUID.randomUUID()), "authenticated", "authenticated", null, null,
                Map.of("nested", Map.of("list", List.of(1, "two", true)), "quote", "it's \"fine\""),
                Map.of("n", new BigDecimal("1.5"), "exact", new BigDecimal("0.1000000000000000000001"),
                        "tiny", new BigDecimal("1E-1100"), "big", new BigInteger("1" + "0".repeat(400))),
                false, null, T0, T0, false);
        users.upsert(user);

        String type = jdbi.withHandle(h -> h.createQuery(
                        "SELECT jsonb_typeof(raw_app_meta_data) || ' ' || (raw_app_meta_data -> 'nested' ->> 'list') "
                                + "FROM auth.users WHERE id = :id")
                .bind("id", user.id().value()).mapTo(String.class).one());
        assertEquals("object [1, \"two\", true]", type);
        assertEquals(user.appMetadata(), users.findById(user.id()).orElseThrow().appMetadata());
        assertEquals(user.userMetadata(), users.findById(user.id()).orElseThrow().userMetadata());
    }

    @Test
    void nullMetadataReadsAsEmptyAndNonObjectMetadataFailsLoudly() {
        User user = users.upsert(Fixtures.user()).user();
        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.users SET raw_app_meta_data = NULL, raw_user_meta_data = 'null' WHERE id = :id")
                .bind("id", user.id().value()).execute());
        User read = users.findById(user.id()).orElseThrow();
        assertEquals(Map.of(), read.appMetadata());
        assertEquals(Map.of(), read.userMetadata());

        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.users SET raw_app_meta_data = '[1,2]' WHERE id = :id")
                .bind("id", user.id().value()).execute());
        assertThrows(IllegalStateException.class, () -> users.findById(user.id()));
    }

    @Test
    void findByIdComputesHasVerifiedFactor() {
        User user = users.upsert(Fixtures.user()).user();
        assertFalse(users.findById(user.id()).orElseThrow().hasVerifiedFactor());
        Fixtures.addFactor(jdbi, user.id(), "unverified");
        assertFalse(users.findById(user.id()).orElseThrow().hasVerifiedFactor());
        Fixtures.addFactor(jdbi, user.id(), "verified");
        assertTrue(users.findById(user.id()).orElseThrow().hasVerifiedFactor());
        assertTrue(users.upsert(user).user().hasVerifiedFactor());
    }

    @Test
    void upsertingASoftDeletedUserCreatesItAfreshWithoutItsOldSessions() {
        User user = users.upsert(Fixtures.user()).user();
        Session old = Fixtures.session(user.id());
        sessions.create(old, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.users SET deleted_at = now() WHERE id = :id")
                .bind("id", user.id().value()).execute());

        User again = new User(user.id(), "authenticated", "authenticated", "new@example.com", null, null, null,
                false, null, T0.plusSeconds(500), T0.plusSeconds(500), false);
        Upserted result = users.upsert(again);

        assertTrue(result.created());
        assertEquals(again, result.user());
        assertEquals(Optional.of(again), users.findById(user.id()));
        assertEquals(Optional.empty(), sessions.findById(old.id()));
    }
}
