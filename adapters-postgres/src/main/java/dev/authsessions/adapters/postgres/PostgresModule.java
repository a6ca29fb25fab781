package dev.authsessions.adapters.postgres;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.MfaFactorRepository;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.application.port.out.SessionCleanup;
import dev.authsessions.application.port.out.SessionDeletions;
import dev.authsessions.application.port.out.SessionQueries;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Binds the repositories to PostgreSQL. The database starts (embedded server, pool) and is migrated
 * when {@link PostgresLifecycle} is first provided, which happens before the first
 * {@link DataSource}, {@link Jdbi} or repository is handed out. Whoever creates the injector closes
 * the {@link PostgresLifecycle} at shutdown.
 */
public final class PostgresModule extends AbstractModule {
    private final Supplier<PostgresLifecycle> lifecycle;
    private final HmacKeyEncryption encryption;

    /** HMAC keys in plaintext, no pool metrics. */
    public PostgresModule(PostgresSettings settings) {
        this(settings, HmacKeyEncryption.none(), Optional.empty());
    }

    /** HMAC keys stored as {@code encryption} says; the pool reports to {@code poolMetrics} when given. */
    public PostgresModule(PostgresSettings settings, HmacKeyEncryption encryption, Optional<MetricsTrackerFactory> poolMetrics) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(poolMetrics, "pool metrics");
        this.lifecycle = () -> PostgresLifecycle.start(settings, poolMetrics);
        this.encryption = Objects.requireNonNull(encryption, "encryption");
    }

    /**
     * The database already starting ({@link PostgresLifecycle#startInBackground}): providing the
     * lifecycle waits for that start. HMAC keys stored as {@code encryption} says.
     */
    public PostgresModule(CompletableFuture<PostgresLifecycle> starting, HmacKeyEncryption encryption) {
        Objects.requireNonNull(starting, "starting");
        this.lifecycle = () -> PostgresLifecycle.await(starting);
        this.encryption = Objects.requireNonNull(encryption, "encryption");
    }

    @Override
    protected void configure() {
        bind(HmacKeyEncryption.class).toInstance(encryption);
        bind(SessionRepository.class).to(JdbiSessionRepository.class).in(Singleton.class);
        bind(UserRepository.class).to(JdbiUserRepository.class).in(Singleton.class);
        bind(OAuthClientRepository.class).to(JdbiOAuthClientRepository.class).in(Singleton.class);
        bind(MfaFactorRepository.class).to(JdbiMfaFactorRepository.class).in(Singleton.class);
        bind(SessionQueries.class).to(JdbiSessionQueries.class).in(Singleton.class);
        bind(SessionDeletions.class).to(JdbiSessionDeletions.class).in(Singleton.class);
        bind(SessionCleanup.class).to(JdbiSessionCleanup.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    PostgresLifecycle lifecycle() {
        return lifecycle.get();
    }

    @Provides
    @Singleton
    DataSource dataSource(PostgresLifecycle lifecycle) {
        return lifecycle.dataSource();
    }

    @Provides
    @Singleton
    Jdbi jdbi(PostgresLifecycle lifecycle) {
        return lifecycle.jdbi();
    }

    /** Standalone or beside GoTrue, as the database was found at start. */
    @Provides
    @Singleton
    DatabaseMode databaseMode(PostgresLifecycle lifecycle) {
        return lifecycle.mode();
    }
}
