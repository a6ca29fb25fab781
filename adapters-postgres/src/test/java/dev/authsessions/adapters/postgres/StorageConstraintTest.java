package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageConstraintException.Violation;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of constraint the schema can raise reaches the core as a {@link StorageConstraintException}
 * naming the broken rule in its terms, read from the SQLState and the constraint's name only. The
 * statements are run raw through {@link StorageAccess}, on the service's own pool settings, so each rule is
 * provoked directly; the repositories' own refusals are in their contract tests.
 */
class StorageConstraintTest {
    private static final String SECRET = "a-refresh-token-value-that-must-not-leak";

    private static TestDatabase database;
    private static HikariDataSource pool;
    private static StorageAccess db;
    private static Session session;

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        pool = PostgresLifecycle.createPool(database.url(), 2, "constraint-test");
        Jdbi jdbi = PostgresLifecycle.createJdbi(pool);
        db = new StorageAccess(jdbi);
        User user = Fixtures.user();
        new JdbiUserRepository(jdbi).upsert(user);
        session = Fixtures.session(user.id());
        new JdbiSessionRepository(jdbi).create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, Fixtures.T0));
    }

    @AfterAll
    static void stop() {
        pool.close();
        database.close();
    }

    private static StorageConstraintException refused(String sql) {
        return assertThrows(StorageConstraintException.class, () -> db.withHandle(handle -> handle.execute(sql)), sql);
    }

    private static void assertRefused(Violation violation, String constraint, String sql) {
        StorageConstraintException refused = refused(sql);
        assertEquals(violation, refused.violation(), sql);
        assertEquals(constraint, refused.constraint(), sql);
    }

    private static String random() {
        return "'" + UUID.randomUUID() + "'";
    }

    @Test
    void aForeignKeyToAUserThatIsGoneIsUserGone() {
        assertRefused(Violation.USER_GONE, "sessions_user_id_fkey",
                "INSERT INTO auth.sessions (id, user_id) VALUES (" + random() + ", " + random() + ")");
        assertRefused(Violation.USER_GONE, "mfa_factors_user_id_fkey", "INSERT INTO auth.mfa_factors"
                + " (id, user_id, factor_type, status, created_at, updated_at) VALUES (" + random() + ", " + random()
                + ", 'totp', 'verified', now(), now())");
    }

    @Test
    void aForeignKeyToAnOAuthClientThatIsGoneIsOAuthClientGone() {
        assertRefused(Violation.OAUTH_CLIENT_GONE, "sessions_oauth_client_id_fkey",
                "UPDATE auth.sessions SET oauth_client_id = " + random() + " WHERE id = '" + session.id().value() + "'");
    }

    @Test
    void aForeignKeyToASessionThatIsGoneIsSessionGone() {
        assertRefused(Violation.SESSION_GONE, "mfa_amr_claims_session_id_fkey", "INSERT INTO auth.mfa_amr_claims"
                + " (id, session_id, created_at, updated_at, authentication_method) VALUES (" + random() + ", " + random()
                + ", now(), now(), 'totp')");
        assertRefused(Violation.SESSION_GONE, "refresh_tokens_session_id_fkey",
                "INSERT INTO auth.refresh_tokens (token, session_id) VALUES ('abc', " + random() + ")");
    }

    @Test
    void aForeignKeyOfAnotherNameOnEitherSideIsABrokenReference() {
        db.withHandle(handle -> handle.execute("CREATE TABLE public.other (user_id uuid"
                + " CONSTRAINT other_user_id_fkey REFERENCES auth.users (id))"));
        assertRefused(Violation.REFERENCE_BROKEN, "other_user_id_fkey", "INSERT INTO public.other VALUES (" + random() + ")");

        User referenced = Fixtures.user();
        db.withHandle(handle -> handle.execute("INSERT INTO auth.users (id) VALUES ('" + referenced.id().value() + "')"));
        db.withHandle(handle -> handle.execute("INSERT INTO public.other VALUES ('" + referenced.id().value() + "')"));
        assertRefused(Violation.REFERENCE_BROKEN, "other_user_id_fkey",
                "DELETE FROM auth.users WHERE id = '" + referenced.id().value() + "'");
    }

    @Test
    void aUniqueKeyIsADuplicateAndNeitherTheRefusalNorItsCauseQuotesAValueOfTheRow() {
        String insert = "INSERT INTO auth.refresh_tokens (token, session_id) VALUES (:token, :session)";
        db.withHandle(handle -> handle.createUpdate(insert).bind("token", SECRET).bind("session", session.id().value()).execute());

        StorageConstraintException refused = assertThrows(StorageConstraintException.class, () -> db.withHandle(handle ->
                handle.createUpdate(insert).bind("token", SECRET).bind("session", session.id().value()).execute()));

        assertEquals(Violation.DUPLICATE, refused.violation());
        assertEquals("refresh_tokens_token_unique", refused.constraint());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertTrue(chain.toString().contains("INSERT INTO auth.refresh_tokens"), "the statement is there to debug with: " + chain);
        assertFalse(chain.toString().contains(SECRET), "a value of the row: " + chain);
        assertRefused(Violation.DUPLICATE, "sessions_pkey", "INSERT INTO auth.sessions (id, user_id) SELECT id, user_id"
                + " FROM auth.sessions WHERE id = '" + session.id().value() + "'");
    }

    @Test
    void aCheckOrANotNullColumnIsAnInvalidValue() {
        assertRefused(Violation.INVALID_VALUE, "sessions_scopes_length",
                "UPDATE auth.sessions SET scopes = repeat('s', 4097) WHERE id = '" + session.id().value() + "'");
        assertRefused(Violation.INVALID_VALUE, "mfa_amr_claims.authentication_method not null", "INSERT INTO auth.mfa_amr_claims"
                + " (id, session_id, created_at, updated_at, authentication_method) VALUES (" + random() + ", '"
                + session.id().value() + "', now(), now(), NULL)");
    }

    @Test
    void aFailureThatIsNoConstraintPassesThroughUnchanged() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> db.withHandle(handle -> handle.execute("SELECT no_such_column FROM auth.sessions")));
        assertFalse(failure instanceof StorageConstraintException, failure.toString());
    }
}
