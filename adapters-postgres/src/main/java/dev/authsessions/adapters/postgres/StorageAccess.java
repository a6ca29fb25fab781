package dev.authsessions.adapters.postgres;

import dev.authsessions.application.port.out.StorageConflictException;
import dev.authsessions.application.port.out.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * The one way the repositories reach the database: runs a JDBI callback and turns "the database
 * cannot be reached" (pool timeout, connection refused or broken, server shutting down) and "a statement
 * ran out of time" (cancelled by the query timeout) into {@link StorageUnavailableException}, and "another
 * transaction holds these rows" (lock timeout, deadlock, serialization failure) into
 * {@link StorageConflictException}. Every other failure passes through unchanged.
 */
final class StorageAccess {
    private static final int MAX_CAUSE_DEPTH = 16;

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
        return e;
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
