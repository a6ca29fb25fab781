package dev.authsessions.adapters.postgres;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the database is: an external server ({@code databaseUrl}, see {@link DatabaseUrl}) or, when
 * that is empty, an embedded PostgreSQL whose files live in {@code dataDir/pgdata}.
 */
public record PostgresSettings(Optional<String> databaseUrl, Path dataDir, int poolSize) {

    public PostgresSettings {
        Objects.requireNonNull(databaseUrl, "database url");
        Objects.requireNonNull(dataDir, "data dir");
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool size must be at least 1");
        }
        // Fails early, with a message that never repeats the password.
        databaseUrl.ifPresent(DatabaseUrl::parse);
    }
}
