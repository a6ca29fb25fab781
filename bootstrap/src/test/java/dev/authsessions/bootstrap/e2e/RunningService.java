package dev.authsessions.bootstrap.e2e;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.bootstrap.AuthSessionsService;
import dev.authsessions.bootstrap.Configuration;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The real service (Guice, Javalin, JDBI) on a free port over a test database, configured as an operator would. */
final class RunningService implements AutoCloseable {
    static final String ADMIN_KEY = "e2e-admin-key-0123456789";
    static final String JWT_SECRET = "e2e-shared-hs256-secret-0123456789abcdef";

    private final AuthSessionsService service;
    final Api api;

    private RunningService(AuthSessionsService service) {
        this.service = service;
        this.api = new Api(service.port(), ADMIN_KEY);
    }

    static RunningService start(TestDatabase database, Clock clock, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTH_SESSIONS_DATABASE_URL", database.databaseUrl());
        env.put("AUTH_SESSIONS_PORT", "0");
        env.put("AUTH_SESSIONS_ADMIN_KEYS", ADMIN_KEY);
        env.put("AUTH_SESSIONS_JWT_SECRET", JWT_SECRET);
        env.put("AUTH_SESSIONS_DB_POOL_SIZE", "8");
        env.putAll(overrides);
        Configuration config = Configuration.fromEnvironment(env);
        return new RunningService(AuthSessionsService.start(config, config.adminKeys(), clock));
    }

    static RunningService start(TestDatabase database, Clock clock) {
        return start(database, clock, Map.of());
    }

    int port() {
        return service.port();
    }

    @Override
    public void close() {
        service.close();
    }
}
