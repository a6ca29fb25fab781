package dev.authsessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.authsessions.adapters.http.ReadinessProbe;
import dev.authsessions.adapters.postgres.PostgresLifecycle;

/** Binds what the HTTP adapter asks of the rest of the process: readiness is "the database answers". */
final class OperationsModule extends AbstractModule {

    @Provides
    @Singleton
    ReadinessProbe readiness(PostgresLifecycle database) {
        return database::isReachable;
    }
}
