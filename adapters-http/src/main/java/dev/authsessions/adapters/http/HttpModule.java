package dev.authsessions.adapters.http;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.application.port.out.AccessTokenVerifier;
import dev.authsessions.application.port.out.SessionEvents;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Wires the HTTP adapter: one {@link NimbusAccessTokens} behind both token ports, the refresh outcomes
 * ({@link SessionEvents}) counted in the metrics registry, and the {@link HttpServer}. The use cases are
 * bound by the application's module; a {@link ReadinessProbe} must be bound by whoever knows the database.
 */
public final class HttpModule extends AbstractModule {
    private final HttpSettings httpSettings;
    private final JwtSettings jwtSettings;
    private final PrometheusMeterRegistry metrics;

    /** With a metrics registry of its own. */
    public HttpModule(HttpSettings httpSettings, JwtSettings jwtSettings) {
        this(httpSettings, jwtSettings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Request and refresh metrics go to {@code metrics}, which {@code GET /metrics} publishes. */
    public HttpModule(HttpSettings httpSettings, JwtSettings jwtSettings, PrometheusMeterRegistry metrics) {
        this.httpSettings = httpSettings;
        this.jwtSettings = jwtSettings;
        this.metrics = metrics;
    }

    @Override
    protected void configure() {
        bind(HttpSettings.class).toInstance(httpSettings);
        bind(JwtSettings.class).toInstance(jwtSettings);
        bind(AccessTokenSigner.class).to(NimbusAccessTokens.class);
        bind(AccessTokenVerifier.class).to(NimbusAccessTokens.class);
        bind(SessionEvents.class).toInstance(new MicrometerSessionEvents(metrics));
        bind(HttpServer.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    NimbusAccessTokens accessTokens(JwtSettings settings) {
        return new NimbusAccessTokens(settings);
    }

    /** The server itself is built by its {@code @Inject} constructor from the bound use cases. */
    @Provides
    @Singleton
    HttpOperations operations(ReadinessProbe readiness) {
        return new HttpOperations(metrics, readiness);
    }
}
