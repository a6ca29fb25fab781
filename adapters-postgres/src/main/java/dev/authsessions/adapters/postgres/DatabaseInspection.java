package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.DatabaseMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the database holds at start, read from the catalogs before anything is created: whose {@code auth}
 * schema it is ({@link DatabaseMode}) and, beside GoTrue, whether auth-sessions can work there. Nothing here
 * writes. Every refusal is an {@link UnsuitableDatabaseException} whose message is one line.
 */
final class DatabaseInspection {
    /** Where auth-sessions keeps what is its own (its migration history included) beside GoTrue. */
    static final String OWN_SCHEMA = "auth_sessions";
    /** GoTrue's migration that added {@code auth.sessions.refresh_token_hmac_key} and {@code refresh_token_counter}. */
    static final String REQUIRED_GOTRUE_MIGRATION = "20251007112900";
    /** The first Supabase Auth release whose migrations include {@link #REQUIRED_GOTRUE_MIGRATION}. */
    static final String REQUIRED_GOTRUE_RELEASE = "v2.181.0";

    /**
     * The tables of GoTrue's schema that auth-sessions reads or writes, with the privileges it needs on each.
     * GoTrue owns users, factors and OAuth clients: auth-sessions only reads them.
     */
    static final Map<String, List<String>> REQUIRED_PRIVILEGES = requiredPrivileges();

    private DatabaseInspection() {
    }

    private static Map<String, List<String>> requiredPrivileges() {
        Map<String, List<String>> required = new LinkedHashMap<>();
        required.put("sessions", List.of("SELECT", "INSERT", "UPDATE", "DELETE"));
        required.put("mfa_amr_claims", List.of("SELECT", "INSERT", "UPDATE", "DELETE"));
        required.put("refresh_tokens", List.of("SELECT", "INSERT", "UPDATE"));
        required.put("users", List.of("SELECT"));
        required.put("mfa_factors", List.of("SELECT"));
        required.put("oauth_clients", List.of("SELECT"));
        required.put("schema_migrations", List.of("SELECT"));
        return java.util.Collections.unmodifiableMap(required);
    }

    /**
     * GoTrue's {@code auth.schema_migrations} makes the database GoTrue's, whatever else is there; otherwise it is
     * auth-sessions' own (its history in {@code auth.flyway_schema_history}) or empty.
     */
    static DatabaseMode detect(Connection connection) throws SQLException {
        Set<String> present = new TreeSet<>();
        boolean authHasObjects;
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE (n.nspname = 'auth' AND c.relname IN ('schema_migrations', 'flyway_schema_history'))
                    OR (n.nspname = ? AND c.relname = 'flyway_schema_history')""")) {
            query.setString(1, OWN_SCHEMA);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'auth')
                    OR EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'auth')
                    OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'auth')""");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            authHasObjects = rows.getBoolean(1);
        }
        if (present.contains("auth.schema_migrations")) {
            return DatabaseMode.BESIDE_GOTRUE;
        }
        if (present.contains(OWN_SCHEMA + ".flyway_schema_history")) {
            throw new UnsuitableDatabaseException("auth-sessions ran beside GoTrue on this database (" + OWN_SCHEMA
                    + ".flyway_schema_history exists) but GoTrue's auth.schema_migrations is gone; refusing to create a schema auth of its own");
        }
        if (authHasObjects && !present.contains("auth.flyway_schema_history")) {
            throw new UnsuitableDatabaseException("schema auth holds objects but neither auth-sessions' history "
                    + "(auth.flyway_schema_history) nor GoTrue's (auth.schema_migrations); refusing to guess who owns it");
        }
        return DatabaseMode.STANDALONE;
    }

    /**
     * Beside GoTrue: the connecting role must read and write the session tables past row-level security, be able to
     * keep its own schema, and GoTrue's schema must be recent enough. Checked in that order, since a role that RLS
     * filters would read no migrations at all.
     */
    static void checkBesideGoTrue(Connection connection) throws SQLException {
        String role = currentRole(connection);
        checkTableAccess(connection, role);
        checkOwnSchema(connection, role);
        checkGoTrueVersion(connection);
    }

    /** The newest GoTrue migration recorded (a 14-digit version), if any. */
    static Optional<String> newestGoTrueMigration(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT max(version) FROM auth.schema_migrations WHERE version ~ '^[0-9]{14}$'");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return Optional.ofNullable(rows.getString(1));
        }
    }

    private static String currentRole(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT current_user");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void checkTableAccess(Connection connection, String role) throws SQLException {
        if (!booleanOf(connection, "SELECT has_schema_privilege('auth', 'USAGE')")) {
            throw new UnsuitableDatabaseException("role \"" + role + "\" cannot work beside GoTrue: it lacks USAGE on schema auth "
                    + "(connect as supabase_auth_admin, GoTrue's own role)");
        }
        List<String> filtered = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        String owner = null;
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT c.relname, pg_get_userbyid(c.relowner),
                       c.relrowsecurity AND NOT (r.rolsuper OR r.rolbypassrls
                           OR (pg_has_role(r.oid, c.relowner, 'USAGE') AND NOT c.relforcerowsecurity))
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_roles r ON r.rolname = current_user
                 WHERE n.nspname = 'auth' AND c.relkind IN ('r', 'p') AND c.relname = ?""")) {
            for (Map.Entry<String, List<String>> table : REQUIRED_PRIVILEGES.entrySet()) {
                query.setString(1, table.getKey());
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        // A table missing from an old schema: the version check names the release needed.
                        continue;
                    }
                    if (owner == null || table.getKey().equals("sessions")) {
                        owner = rows.getString(2);
                    }
                    if (rows.getBoolean(3)) {
                        filtered.add("auth." + table.getKey());
                    }
                }
                List<String> missing = new ArrayList<>();
                for (String privilege : table.getValue()) {
                    if (!booleanOf(connection, "SELECT has_table_privilege('auth." + table.getKey() + "', '" + privilege + "')")) {
                        missing.add(privilege);
                    }
                }
                if (!missing.isEmpty()) {
                    lacking.add(String.join("/", missing) + " on auth." + table.getKey());
                }
            }
        }
        if (filtered.isEmpty() && lacking.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (!filtered.isEmpty()) {
            problems.add("row-level security hides the rows of " + String.join(", ", filtered)
                    + " from it (it is neither their owner " + owner + " nor a superuser and has no BYPASSRLS)");
        }
        if (!lacking.isEmpty()) {
            problems.add("it lacks " + String.join(", ", lacking));
        }
        throw new UnsuitableDatabaseException("role \"" + role + "\" cannot work beside GoTrue: " + String.join("; ", problems)
                + " (connect as " + (owner == null ? "supabase_auth_admin" : owner) + ", or a role with BYPASSRLS and these privileges)");
    }

    private static void checkOwnSchema(Connection connection, String role) throws SQLException {
        boolean exists = booleanOf(connection, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '" + OWN_SCHEMA + "')");
        boolean allowed = exists
                ? booleanOf(connection, "SELECT has_schema_privilege('" + OWN_SCHEMA + "', 'USAGE,CREATE')")
                : booleanOf(connection, "SELECT has_database_privilege(current_database(), 'CREATE')");
        if (!allowed) {
            throw new UnsuitableDatabaseException("role \"" + role + "\" cannot keep auth-sessions' own schema " + OWN_SCHEMA + ": "
                    + (exists ? "it lacks USAGE/CREATE on that schema" : "it lacks CREATE on the database, and the schema does not exist yet"));
        }
    }

    private static void checkGoTrueVersion(Connection connection) throws SQLException {
        Optional<String> newest = newestGoTrueMigration(connection);
        if (newest.isEmpty() || newest.get().compareTo(REQUIRED_GOTRUE_MIGRATION) < 0) {
            throw new UnsuitableDatabaseException("GoTrue's schema in this database is too old: auth-sessions needs Supabase Auth "
                    + REQUIRED_GOTRUE_RELEASE + " or later (migration " + REQUIRED_GOTRUE_MIGRATION
                    + ", which adds auth.sessions.refresh_token_hmac_key and refresh_token_counter); the newest applied is "
                    + newest.orElse("none"));
        }
    }

    private static boolean booleanOf(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getBoolean(1);
        }
    }
}
