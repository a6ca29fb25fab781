package dev.authsessions.bootstrap.reliability;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.bootstrap.AuthSessionsService;
import dev.authsessions.bootstrap.Configuration;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The real service (Guice, Javalin, JDBI) in this JVM on a free loopback port, configured from environment variables. */
final class InProcessService implements AutoCloseable {
    static final String ADMIN_KEY = "reliability-admin-key-0123456789";
    /** Shared by every instance, so access tokens of one verify on another. */
    static final String JWT_SECRET = "reliability-shared-hs256-secret-0123456789abcdef";

    private final AuthSessionsService service;
    private final Client client;

    private InProcessService(AuthSessionsService service) {
        this.service = service;
        this.client = new Client(service.port(), ADMIN_KEY);
    }

    /** The environment every test instance runs with; {@code overrides} win (a blank value unsets a variable). */
    static Map<String, String> environment(TestDatabase database, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTH_SESSIONS_DATABASE_URL", database.databaseUrl());
        env.put("AUTH_SESSIONS_HOST", "127.0.0.1");
        env.put("AUTH_SESSIONS_PORT", "0");
        env.put("AUTH_SESSIONS_ADMIN_KEYS", ADMIN_KEY);
        env.put("AUTH_SESSIONS_JWT_SECRET", JWT_SECRET);
        env.put("AUTH_SESSIONS_DB_POOL_SIZE", "8");
        env.putAll(overrides);
        return env;
    }

    static InProcessService start(TestDatabase database, Clock clock, Map<String, String> overrides) {
        Configuration config = Configuration.fromEnvironment(environment(database, overrides));
        return new InProcessService(AuthSessionsService.start(config, config.adminKeys(), clock));
    }

    static InProcessService start(TestDatabase database, Clock clock) {
        return start(database, clock, Map.of());
    }

    int port() {
        return service.port();
    }

    Client client() {
        return client;
    }

    @Override
    public void close() {
        service.close();
    }
}
