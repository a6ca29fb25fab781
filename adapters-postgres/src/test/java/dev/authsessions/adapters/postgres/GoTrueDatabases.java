package dev.authsessions.adapters.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Databases shaped as Supabase Auth (GoTrue) leaves them: the shared fixture {@code supabase-auth/schema.sql}
 * (GoTrue's 70 migrations applied by its own migrator, dumped; see the fixture's README) restored into an
 * empty database of {@link TestDatabases}. A copy of the fixture is committed in this module's test resources;
 * {@code GoTrueFixtureTest} checks it against the shared one when that exists.
 */
public final class GoTrueDatabases {
    static final String COPY_RESOURCE = "/supabase-auth/schema.sql";
    private static final String SHARED_PATH = "shared/fixtures/supabase-auth/schema.sql";
    /** GoTrue's own role, as the fixture creates it (owner of every table in {@code auth}). */
    public static final String GOTRUE_ROLE = "supabase_auth_admin";
    public static final String GOTRUE_ROLE_PASSWORD = "root";

    private GoTrueDatabases() {
    }

    /** A new database holding GoTrue's schema {@code auth} and nothing else; close it when done. */
    public static TestDatabase fresh() {
        TestDatabase database = TestDatabases.empty();
        try {
            execute(database, script());
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Runs {@code sql} (several statements at once) on {@code database} as the test server's superuser. */
    public static void execute(TestDatabase database, String sql) {
        try (Connection connection = database.openConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run SQL on " + database.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A user row as GoTrue's {@code models.User} is created (every column of its struct written: the nil
     * {@code instance_id}, empty strings in the token columns it reads as non-null strings).
     */
    public static void insertUser(TestDatabase database, UUID id, String email, OffsetDateTime at) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO auth.users (instance_id, id, aud, role, email, is_sso_user, encrypted_password,
                               email_confirmed_at, invited_at, phone, phone_confirmed_at, confirmation_token, confirmation_sent_at,
                               recovery_token, recovery_sent_at, email_change_token_current, email_change_token_new, email_change,
                               email_change_sent_at, email_change_confirm_status, phone_change_token, phone_change,
                               phone_change_sent_at, reauthentication_token, reauthentication_sent_at, last_sign_in_at,
                               raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until, deleted_at, is_anonymous)
                        VALUES ('00000000-0000-0000-0000-000000000000', :id, 'authenticated', 'authenticated', :email, false,
                               :hash, :at, NULL, NULL, NULL, '', NULL,
                               '', NULL, '', '', '', NULL, 0, '', '', NULL, '', NULL, :at,
                               '{"provider": "email", "providers": ["email"]}', '{}', :at, :at, NULL, NULL, false)
                        """)
                .bind("id", id).bind("email", email).bind("at", at)
                .bind("hash", "$2a$10$" + "x".repeat(53)).execute());
    }

    /**
     * A v2 session as GoTrue's {@code IssueRefreshToken} creates it with refresh token algorithm version 2: the
     * row of {@code models.NewSession} + {@code SetupRefreshTokenData} (aal1, counter 0, the HMAC key base64url
     * without padding, no encryption) and its {@code password} AMR claim.
     */
    public static void insertV2Session(TestDatabase database, UUID sessionId, UUID userId, byte[] hmacKey,
                                       OffsetDateTime at, String userAgent, String ip) {
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(hmacKey);
        database.jdbi().useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO auth.sessions (id, user_id, not_after, created_at, updated_at, factor_id, aal,
                                   refreshed_at, user_agent, ip, tag, oauth_client_id, scopes, refresh_token_hmac_key,
                                   refresh_token_counter)
                            VALUES (:id, :user, NULL, :at, :at, NULL, 'aal1', NULL, :agent, CAST(:ip AS inet), NULL, NULL, NULL, :key, 0)
                            """)
                    .bind("id", sessionId).bind("user", userId).bind("at", at).bind("agent", userAgent).bind("ip", ip)
                    .bind("key", key).execute();
            h.createUpdate("""
                            INSERT INTO auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
                            VALUES (:id, :session, :at, :at, 'password')
                            ON CONFLICT ON CONSTRAINT mfa_amr_claims_session_id_authentication_method_pkey DO UPDATE SET updated_at = :at
                            """)
                    .bind("id", UUID.randomUUID()).bind("session", sessionId).bind("at", at).execute();
        });
    }

    /** Drops a role this run created (roles outlive the databases), once nothing of it is left. */
    public static void dropRole(String role) {
        try (Connection admin = TestDatabases.server().openAdminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop role " + role, e);
        }
    }

    /**
     * The fixture as one script the driver can send whole: without the lines of psql's backslash
     * meta-commands, which are not SQL (the fixture has no COPY, so nothing else is psql's own).
     */
    static String script() {
        return new String(committedCopy(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("\\"))
                .collect(Collectors.joining("\n"));
    }

    static byte[] committedCopy() {
        try (InputStream in = GoTrueDatabases.class.getResourceAsStream(COPY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(COPY_RESOURCE + " is missing from the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared fixture, looked for beside the repository root or one of its ancestors. */
    static Optional<Path> shared() {
        Optional<Path> root = SeedDocument.repositoryRoot(Path.of("").toAbsolutePath());
        if (root.isEmpty()) {
            return Optional.empty();
        }
        for (Path dir = root.get().getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SHARED_PATH);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
