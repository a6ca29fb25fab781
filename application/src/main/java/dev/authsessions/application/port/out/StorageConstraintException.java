package dev.authsessions.application.port.out;

import java.util.Objects;

/**
 * The database refused a write because it would break one of its rules (a foreign key, a unique key, a
 * check, a not-null column); nothing was changed. Under concurrent requests this is how a race ends: the
 * service checked that the user exists, then the user was deleted before the session's insert, whose
 * foreign key now finds no user. {@link #violation()} says which rule in the core's terms, so the caller
 * can be told what it can act on (the user is gone) rather than that the server failed.
 */
public final class StorageConstraintException extends RuntimeException {

    /** Which rule the write broke. */
    public enum Violation {
        /** The user the write refers to does not exist (any more). */
        USER_GONE,
        /** The OAuth client the write refers to does not exist (any more). */
        OAUTH_CLIENT_GONE,
        /** The session the write refers to does not exist (any more). */
        SESSION_GONE,
        /** Another foreign key: a row the write refers to is gone, or rows still refer to one it removes. */
        REFERENCE_BROKEN,
        /** A row with the same unique key exists already (written by a concurrent request, or a duplicate value). */
        DUPLICATE,
        /** A value the table does not accept: a check or a not-null column. */
        INVALID_VALUE
    }

    private final Violation violation;
    private final String constraint;

    /**
     * @param constraint the database's name for the rule, for the log (never a value of the row); may be null
     */
    public StorageConstraintException(Violation violation, String constraint) {
        this(violation, constraint, null);
    }

    /** @param cause the driver's failure, which names the statement but quotes none of its values */
    public StorageConstraintException(Violation violation, String constraint, Throwable cause) {
        super("the database refused the write: " + violation + (constraint == null ? "" : " (" + constraint + ")"), cause);
        this.violation = Objects.requireNonNull(violation, "violation");
        this.constraint = constraint;
    }

    public Violation violation() {
        return violation;
    }

    /** The constraint's name (or {@code table.column} of a not-null column), or null when the database did not say. */
    public String constraint() {
        return constraint;
    }
}
