package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HMAC keys encrypted at rest in {@code auth.sessions}: what the column holds, rotation, re-encryption on refresh. */
class JdbiEncryptedHmacKeyTest {
    private static final String KEY_OLD = "b2xkLWtleS1vbGQta2V5LW9sZC1rZXktb2xkLWtleSE";
    private static final String KEY_NEW = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleSE";
    private static final HmacKeyEncryption UNDER_OLD = encryption("old", KEY_OLD, Map.of());
    private static final HmacKeyEncryption ROTATED = encryption("new", KEY_NEW, Map.of("old", KEY_OLD));
    private static final HmacKeyEncryption ONLY_NEW = encryption("new", KEY_NEW, Map.of());

    private static TestDatabase database;
    private static Jdbi jdbi;
    private static JdbiUserRepository users;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        users = new JdbiUserRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static HmacKeyEncryption encryption(String id, String key, Map<String, String> older) {
        return HmacKeyEncryption.of(Optional.of(id), Optional.of(key), older);
    }

    private static JdbiSessionRepository sessions(HmacKeyEncryption encryption) {
        return new JdbiSessionRepository(jdbi, encryption);
    }

    private static Session storedSession(HmacKeyEncryption encryption) {
        return storedSession(encryption, new SessionId(UUID.randomUUID()));
    }

    private static Session storedSession(HmacKeyEncryption encryption, SessionId id) {
        User user = users.upsert(Fixtures.user()).user();
        Session template = Fixtures.session(user.id());
        Session session = new Session(id, user.id(), T0, T0, null, Aal.AAL1, null, null, "ua", null, null, null,
                template.refreshTokenHmacKey(), 0, null);
        sessions(encryption).create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
        return session;
    }

    private static String column(SessionId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT refresh_token_hmac_key FROM auth.sessions WHERE id = :id")
                .bind("id", id.value()).mapTo(String.class).one());
    }

    private static void setColumn(SessionId id, String value) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE auth.sessions SET refresh_token_hmac_key = :v WHERE id = :id")
                .bind("v", value).bind("id", id.value()).execute());
    }

    private static String keyIdOf(String column) throws IOException {
        return new ObjectMapper().readTree(column).path("key_id").asText(null);
    }

    @Test
    void theColumnHoldsGoTruesEncryptedJsonAndEveryReadGivesTheKeyBack() throws IOException {
        Session session = storedSession(ONLY_NEW);
        String column = column(session.id());
        JsonNode value = new ObjectMapper().readTree(column);
        assertEquals("new", value.path("key_id").asText());
        assertEquals("aes-gcm-hkdf", value.path("alg").asText());
        HmacKeyEncryptionTest.assertNoTraceOf(session.refreshTokenHmacKey(), column);

        JdbiSessionRepository sessions = sessions(ONLY_NEW);
        assertEquals(session.refreshTokenHmacKey(), sessions.findById(session.id()).orElseThrow().refreshTokenHmacKey());
        assertEquals(session.refreshTokenHmacKey(),
                sessions.loadForRefresh(session.id()).orElseThrow().session().refreshTokenHmacKey());
        assertEquals(session.refreshTokenHmacKey(),
                sessions.listOfUser(session.userId()).get(0).refreshTokenHmacKey());
    }

    @Test
    void theColumnAloneDoesNotRevealTheKey() {
        Session session = storedSession(ONLY_NEW);
        String dumped = column(session.id());
        HmacKeyEncryptionTest.assertNoTraceOf(session.refreshTokenHmacKey(), dumped);
        // Whoever has the dump but not the configured key cannot read it, not even with another key under the same id.
        assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> HmacKeyEncryption.none().open(session.id().value(), dumped));
        assertThrows(HmacKeyEncryption.StoredKeyException.class,
                () -> encryption("new", KEY_OLD, Map.of()).open(session.id().value(), dumped));
        assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> sessions(UNDER_OLD).findById(session.id()));
    }

    @Test
    void aValueWrittenByPythonInGoTruesFormatIsRead() throws IOException {
        JsonNode vector;
        try (InputStream in = getClass().getResourceAsStream("/gotrue-encryption/vectors.json")) {
            vector = new ObjectMapper().readTree(in).path("cases").get(2);
        }
        SessionId id = new SessionId(UUID.fromString(vector.path("session_id").asText()));
        storedSession(HmacKeyEncryption.none(), id);
        setColumn(id, vector.path("stored").asText());
        HmacKeyEncryption configured = encryption(vector.path("key_id").asText(), vector.path("encryption_key").asText(), Map.of());

        Session read = sessions(configured).loadForRefresh(id).orElseThrow().session();

        assertEquals(HmacKey.fromBase64Url(vector.path("hmac_key").asText()), read.refreshTokenHmacKey());
    }

    @Test
    void aRefreshReEncryptsAKeyUnderAnOldKeyIdAndTheOldKeyIsThenNoLongerNeeded() throws IOException {
        Session session = storedSession(UNDER_OLD);
        assertEquals("old", keyIdOf(column(session.id())));
        JdbiSessionRepository rotated = sessions(ROTATED);
        assertEquals(session.refreshTokenHmacKey(), rotated.loadForRefresh(session.id()).orElseThrow().session().refreshTokenHmacKey());
        assertThrows(HmacKeyEncryption.StoredKeyException.class, () -> sessions(ONLY_NEW).loadForRefresh(session.id()),
                "before the refresh the old key is needed");

        Session refreshed = rotated.compareAndSetCounter(session.id(), 0, 1, T0.plusSeconds(5), "ua", null).orElseThrow();

        assertEquals(session.refreshTokenHmacKey(), refreshed.refreshTokenHmacKey());
        assertEquals(1, refreshed.refreshTokenCounter());
        assertEquals("new", keyIdOf(column(session.id())));
        assertEquals(session.refreshTokenHmacKey(),
                sessions(ONLY_NEW).loadForRefresh(session.id()).orElseThrow().session().refreshTokenHmacKey());
    }

    @Test
    void aRefreshEncryptsAPlaintextKeyOnceEncryptionIsOn() throws IOException {
        Session session = storedSession(HmacKeyEncryption.none());
        assertEquals(session.refreshTokenHmacKey().toBase64Url(), column(session.id()));
        assertEquals(session.refreshTokenHmacKey(), sessions(ONLY_NEW).findById(session.id()).orElseThrow().refreshTokenHmacKey());

        sessions(ONLY_NEW).compareAndSetCounter(session.id(), 0, 1, T0.plusSeconds(5), "ua", null).orElseThrow();

        assertEquals("new", keyIdOf(column(session.id())));
        HmacKeyEncryptionTest.assertNoTraceOf(session.refreshTokenHmacKey(), column(session.id()));
    }

    @Test
    void aRefreshUnderTheCurrentKeyIsOneStatementAndLeavesTheColumnAlone() {
        Session current = storedSession(ONLY_NEW);
        Session old = storedSession(UNDER_OLD);
        String before = column(current.id());
        AtomicInteger statements = new AtomicInteger();
        Jdbi counting = PostgresLifecycle.createJdbi(database.dataSource());
        counting.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        JdbiSessionRepository repository = new JdbiSessionRepository(counting, ROTATED);

        repository.compareAndSetCounter(current.id(), 0, 1, T0.plusSeconds(5), "ua", null).orElseThrow();
        assertEquals(1, statements.get());
        assertEquals(before, column(current.id()), "not rewritten: same nonce, same ciphertext");

        statements.set(0);
        repository.compareAndSetCounter(old.id(), 0, 1, T0.plusSeconds(5), "ua", null).orElseThrow();
        assertEquals(2, statements.get(), "the one re-encryption");
        statements.set(0);
        repository.compareAndSetCounter(old.id(), 1, 2, T0.plusSeconds(6), "ua", null).orElseThrow();
        assertEquals(1, statements.get(), "and never again");
    }

    @Test
    void withEncryptionOffOldValuesStayAsTheyAreAndStillRead() {
        Session session = storedSession(UNDER_OLD);
        String before = column(session.id());
        HmacKeyEncryption decryptOnly = HmacKeyEncryption.of(Optional.empty(), Optional.empty(), Map.of("old", KEY_OLD));

        sessions(decryptOnly).compareAndSetCounter(session.id(), 0, 1, T0.plusSeconds(5), "ua", null).orElseThrow();

        assertEquals(before, column(session.id()));
        Session plain = storedSession(decryptOnly);
        assertEquals(plain.refreshTokenHmacKey().toBase64Url(), column(plain.id()), "new keys are written in plaintext");
    }

    @Test
    void aKeyUnderAnUnknownKeyIdMakesTheSessionUnusableLoudly() {
        Session session = storedSession(UNDER_OLD);
        String stored = column(session.id());
        JdbiSessionRepository withoutOldKey = sessions(ONLY_NEW);

        HmacKeyEncryption.StoredKeyException e = assertThrows(HmacKeyEncryption.StoredKeyException.class,
                () -> withoutOldKey.loadForRefresh(session.id()));

        assertTrue(e.getMessage().contains(session.id().value().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'old'"), e.getMessage());
        assertFalse(e.getMessage().contains(stored));
        assertEquals(stored, column(session.id()), "nothing was written");
    }

    @Test
    void aStepUpSealsTheNewEpochKeyUnderTheCurrentKey() throws IOException {
        Session session = storedSession(UNDER_OLD);
        HmacKey newKey = Fixtures.key();

        Session stepped = sessions(ROTATED).stepUp(session.id(), new FactorId(UUID.randomUUID()), AuthenticationMethod.TOTP,
                newKey, T0.plusSeconds(5)).orElseThrow().session();

        assertEquals(newKey, stepped.refreshTokenHmacKey());
        assertEquals("new", keyIdOf(column(session.id())));
        assertNotEquals(session.refreshTokenHmacKey(), stepped.refreshTokenHmacKey());
        HmacKeyEncryptionTest.assertNoTraceOf(newKey, column(session.id()));
    }

    @Test
    void aFailingStatementsMessageQuotesNeitherTheKeyNorAnyOtherBoundValue() {
        User ghost = Fixtures.user();
        Session orphan = Fixtures.session(ghost.id());
        JdbiSessionRepository plaintext = sessions(HmacKeyEncryption.none());

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> plaintext.create(orphan, Fixtures.claim(AuthenticationMethod.PASSWORD, T0)));

        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        assertTrue(all.toString().contains("sessions_user_id_fkey"), all.toString());
        assertTrue(all.toString().contains("INSERT INTO auth.sessions"), "the SQL is still there to debug with");
        assertFalse(all.toString().contains(orphan.refreshTokenHmacKey().toBase64Url()), all.toString());
        assertFalse(all.toString().contains(ghost.id().value().toString()), "the server's detail quotes values: " + all);
    }
}
