package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.StorageConflictException;
import dev.authsessions.application.port.out.StorageConstraintException;
import dev.authsessions.application.port.out.StorageConstraintException.Violation;
import dev.authsessions.application.port.out.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one way the repositories reach the database: runs a JDBI callback and turns "the database
 * cannot be reached" (pool timeout, connection refused or broken, server shutting down) and "a statement
 * ran out of time" (cancelled by the query timeout) into {@link StorageUnavailableException}, and "another
 * transaction holds these rows" (lock timeout, deadlock, serialization failure) into
 * {@link StorageConflictException}, and "the write breaks a rule of the schema" (SQLState class 23: a foreign
 * key, unique key, check or not-null column) into {@link StorageConstraintException}, naming the rule in the
 * core's terms from the SQLState and the constraint's name: a session's insert whose user was deleted a moment
 * before is {@code USER_GONE}, not a server failure. Every other failure passes through unchanged.
 */
final class StorageAccess {
    private static final int MAX_CAUSE_DEPTH = 16;

    /**
     * The foreign keys the repositories' writes can break, by the name both this schema and GoTrue's give them,
     * and what a broken one means: every one is ON DELETE CASCADE, so only an insert or update can break it,
     * when the row it points to is gone.
     */
    private static final Map<String, Violation> FOREIGN_KEYS = Map.of(
            "sessions_user_id_fkey", Violation.USER_GONE,
            "mfa_factors_user_id_fkey", Violation.USER_GONE,
            "sessions_oauth_client_id_fkey", Violation.OAUTH_CLIENT_GONE,
            "mfa_amr_claims_session_id_fkey", Violation.SESSION_GONE,
            "refresh_tokens_session_id_fkey", Violation.SESSION_GONE);

    private final Jdbi jdbi;

    StorageAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Autocommit: each statement commits by itself. */
    <T> T withHandle(HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    <T> T inTransaction(HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(RuntimeException e) {
        if (isConnectionFailure(e)) {
            return new StorageUnavailableException("the database cannot be reached", e);
        }
        if (isTimeout(e)) {
            return new StorageUnavailableException("a statement did not finish within the query timeout", e, true);
        }
        if (isConflict(e)) {
            return new StorageConflictException("concurrent work on the same rows", e);
        }
        StorageConstraintException constraint = constraintViolation(e);
        return constraint != null ? constraint : e;
    }

    /**
     * The broken rule of an integrity constraint violation (SQLState class 23), or null for any other failure.
     * Only the SQLState and the names of the constraint, table and column are read: the server's detail quotes
     * the row's values (a token in a duplicate key), which must not reach a client. The failure stays the cause,
     * for a log: the pool keeps the server's detail out of it (logServerErrorDetail) and JDBI renders no values.
     */
    static StorageConstraintException constraintViolation(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                ServerErrorMessage server = sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
                String name = server == null ? null : server.getConstraint();
                return switch (sql.getSQLState()) {
                    // foreign_key_violation
                    case "23503" -> new StorageConstraintException(
                            name == null ? Violation.REFERENCE_BROKEN : FOREIGN_KEYS.getOrDefault(name, Violation.REFERENCE_BROKEN), name,
                            failure);
                    // unique_violation, exclusion_violation
                    case "23505", "23P01" -> new StorageConstraintException(Violation.DUPLICATE, name, failure);
                    // not_null_violation names a column, not a constraint
                    case "23502" -> new StorageConstraintException(Violation.INVALID_VALUE,
                            server == null ? null : server.getTable() + "." + server.getColumn() + " not null", failure);
                    // check_violation
                    case "23514" -> new StorageConstraintException(Violation.INVALID_VALUE, name, failure);
                    // restrict_violation and the bare class
                    default -> new StorageConstraintException(Violation.REFERENCE_BROKEN, name, failure);
                };
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** SQLState 57014, query_canceled: nothing but the query timeout cancels this process's statements. */
    static boolean isTimeout(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean isConnectionFailure(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean isConflict(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLException sql && isConflictState(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** 55P03 lock_not_available (the lock_timeout of every connection), 40P01 deadlock, 40001 serialization failure. */
    private static boolean isConflictState(String state) {
        return "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state);
    }

    /** Class 08 (connection exception) and 57P01..57P03 (admin/crash shutdown, cannot connect now). */
    private static boolean isConnectionState(String state) {
        return state != null
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
