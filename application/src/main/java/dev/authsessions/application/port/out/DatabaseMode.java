package dev.authsessions.application.port.out;

/**
 * Who owns the {@code auth} schema of the database this process runs on, as found at start (there is no
 * setting): it decides what auth-sessions may create or write there.
 */
public enum DatabaseMode {
    /** auth-sessions created the {@code auth} schema itself (or found the database empty) and migrates it. */
    STANDALONE("standalone"),
    /**
     * Supabase Auth (GoTrue) created the {@code auth} schema and migrates it: auth-sessions creates, alters and
     * drops nothing there and keeps what is its own in a schema of its own.
     */
    BESIDE_GOTRUE("beside GoTrue");

    private final String description;

    DatabaseMode(String description) {
        this.description = description;
    }

    /** How a log line names the mode. */
    public String description() {
        return description;
    }
}
