package dev.authsessions.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.adapters.http.HttpModule;
import dev.authsessions.adapters.http.HttpServer;
import dev.authsessions.adapters.http.HttpSettings;
import dev.authsessions.adapters.http.JwtSettings;
import dev.authsessions.adapters.postgres.CleanupScheduler;
import dev.authsessions.adapters.postgres.HmacKeyEncryption;
import dev.authsessions.adapters.postgres.PostgresLifecycle;
import dev.authsessions.adapters.postgres.PostgresModule;
import dev.authsessions.adapters.postgres.PostgresSettings;
import dev.authsessions.adapters.postgres.UnsuitableDatabaseException;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.service.CleanupSettings;
import dev.authsessions.application.service.SessionSettings;
import dev.authsessions.domain.RefreshTokenRules;
import dev.authsessions.domain.SessionPolicy;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running service: database (migrated first), then the HTTP server. Closing stops both, HTTP first
 * (gracefully: in-flight requests finish). One Prometheus registry collects the HTTP, refresh, pool and
 * JVM metrics that {@code GET /metrics} publishes.
 */
public final class AuthSessionsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthSessionsService.class);
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final PostgresLifecycle database;
    private final HttpServer http;
    private final CleanupScheduler cleanup;

    private AuthSessionsService(PostgresLifecycle database, HttpServer http, CleanupScheduler cleanup) {
        this.database = database;
        this.http = http;
        this.cleanup = cleanup;
    }

    /**
     * Starts the service; {@code adminKeys} must already be resolved (see {@link #resolveAdminKeys}).
     * The database starts and migrates on a thread of its own while this one builds what needs no
     * database (the signing keys, with a first signature); the HTTP server opens once both are done.
     */
    public static AuthSessionsService start(Configuration config, List<String> adminKeys, Clock clock) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompletableFuture<PostgresLifecycle> starting = PostgresLifecycle.startInBackground(
                postgresSettings(config), Optional.of(new MicrometerMetricsTrackerFactory(metrics)));
        try {
            bindJvmMetrics(metrics);
            Injector injector = injector(config, adminKeys, clock, metrics, new PostgresModule(starting, hmacKeyEncryption(config)));
            injector.getInstance(AccessTokenSigner.class);
            // Providing the lifecycle waits for the database: connected and migrated before the server opens.
            PostgresLifecycle database = injector.getInstance(PostgresLifecycle.class);
            HttpServer http = injector.getInstance(HttpServer.class);
            http.start();
            CleanupScheduler cleanup = new CleanupScheduler(
                    injector.getInstance(CleanUpSessionsUseCase.class), config.cleanupInterval()).start();
            return new AuthSessionsService(database, http, cleanup);
        } catch (RuntimeException | Error e) {
            // Nothing is left running: wait for the database's start to be over, then stop it.
            starting.handle((database, failure) -> {
                if (database != null) {
                    database.close();
                }
                return null;
            }).join();
            Optional<UnsuitableDatabaseException> unsuitable = unsuitableDatabase(e);
            if (unsuitable.isPresent()) {
                throw unsuitable.get();
            }
            throw e;
        }
    }

    /**
     * The refusal of an unsuitable database (one line for the operator), when that is what failed: Guice wraps what a
     * provider throws, so {@code Main} could not tell it from any other failure.
     */
    static Optional<UnsuitableDatabaseException> unsuitableDatabase(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof UnsuitableDatabaseException unsuitable) {
                return Optional.of(unsuitable);
            }
        }
        return Optional.empty();
    }

    /** One clean-up pass ({@code java -jar auth-sessions.jar cleanup}); empty when it failed (already logged). */
    public static Optional<CleanUpSessionsUseCase.Result> cleanUpOnce(Configuration config, Clock clock) {
        PrometheusMeterRegistry metrics = bindJvmMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Injector injector = injector(config, List.of(), clock, metrics, new PostgresModule(postgresSettings(config),
                hmacKeyEncryption(config), Optional.of(new MicrometerMetricsTrackerFactory(metrics))));
        try (PostgresLifecycle database = injector.getInstance(PostgresLifecycle.class);
             CleanupScheduler cleanup = new CleanupScheduler(
                     injector.getInstance(CleanUpSessionsUseCase.class), config.cleanupInterval())) {
            return cleanup.runOnce();
        }
    }

    private static PostgresSettings postgresSettings(Configuration config) {
        return new PostgresSettings(config.databaseUrl(), config.dataDir(), config.dbPoolSize());
    }

    private static Injector injector(Configuration config, List<String> adminKeys, Clock clock,
                                     PrometheusMeterRegistry metrics, PostgresModule postgres) {
        SessionSettings settings = new SessionSettings(
                config.jwtExp(),
                new RefreshTokenRules(config.refreshTokenRotation(), config.refreshTokenReuseInterval(),
                        config.refreshTokenAllowReuse()),
                new SessionPolicy(config.timebox(), config.inactivityTimeout(), config.allowLowAal()),
                config.singlePerUser(),
                config.tags(),
                config.refreshTokenUpgrade());
        HttpSettings httpSettings = new HttpSettings(config.host(), config.port(), adminKeys, config.trustedProxies(),
                MAX_BODY_BYTES, config.cors());
        JwtSettings jwt = new JwtSettings(config.jwtKeys(), config.jwtSecret(), config.issuer());
        if (jwt.generatesKey()) {
            LOG.warn("No AUTH_SESSIONS_JWT_KEYS or AUTH_SESSIONS_JWT_SECRET: signing with an ES256 key generated for "
                    + "this process; access tokens will not verify after a restart or on another instance");
        }
        return Guice.createInjector(
                new ApplicationModule(settings, new CleanupSettings(config.cleanupGrace(), CleanupSettings.DEFAULT_BATCH_SIZE),
                        clock),
                postgres,
                new HttpModule(httpSettings, jwt, metrics),
                new OperationsModule());
    }

    private static PrometheusMeterRegistry bindJvmMetrics(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** The HMAC keys' encryption at rest; the configuration has already checked every value. */
    static HmacKeyEncryption hmacKeyEncryption(Configuration config) {
        return config.dbEncryption()
                .map(e -> HmacKeyEncryption.of(e.keyId(), e.key(), e.decryptionKeys()))
                .orElseGet(HmacKeyEncryption::none);
    }

    /** The configured admin keys, or one random key generated for this process. */
    public static List<String> resolveAdminKeys(Configuration config) {
        if (!config.adminKeys().isEmpty()) {
            return config.adminKeys();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return List.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        try {
            http.stop();
        } finally {
            try {
                cleanup.close();
            } finally {
                database.close();
            }
        }
    }
}
