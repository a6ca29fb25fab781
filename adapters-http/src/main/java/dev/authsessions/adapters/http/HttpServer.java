package dev.authsessions.adapters.http;

import com.google.inject.Inject;
import dev.authsessions.application.port.in.AuthenticateUseCase;
import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
import dev.authsessions.application.port.in.DeleteUserUseCase;
import dev.authsessions.application.port.in.LogoutUseCase;
import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import dev.authsessions.application.port.in.RefreshSessionUseCase;
import dev.authsessions.application.port.in.RegisterFactorUseCase;
import dev.authsessions.application.port.in.RemoveFactorUseCase;
import dev.authsessions.application.port.in.StartSessionUseCase;
import dev.authsessions.application.port.in.StepUpSessionUseCase;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.in.UpsertUserUseCase;
import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: one Javalin app with the routes of each resource and the one error mapping. Every
 * answered request is logged ({@link RequestLog}) and measured ({@link HttpMetrics}). Requests reach the
 * routes only once they have arrived in full ({@link RequestArrival}), and the header limit admits every
 * access token the service issues ({@link AccessTokenLimits}). {@link #stop()} is
 * graceful: the server stops accepting, lets in-flight requests finish for up to
 * {@link HttpOperations#stopTimeout()}, then closes.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 100;

    private final HttpSettings settings;
    private final Duration stopTimeout;
    private final Javalin app;
    private boolean started;

    @Inject
    public HttpServer(
            HttpSettings settings,
            UpsertUserUseCase upsertUser,
            DeleteUserUseCase deleteUser,
            StartSessionUseCase startSession,
            RefreshSessionUseCase refreshSession,
            LogoutUseCase logout,
            AuthenticateUseCase authenticate,
            ReadPublicKeysUseCase readPublicKeys,
            StepUpSessionUseCase stepUpSession,
            RegisterFactorUseCase registerFactor,
            RemoveFactorUseCase removeFactor,
            UpsertOAuthClientUseCase upsertOAuthClient,
            DeleteOAuthClientUseCase deleteOAuthClient,
            SessionUseCases sessionUseCases,
            HttpOperations operations) {
        this.settings = settings;
        this.stopTimeout = operations.stopTimeout();
        RequestBodies bodies = new RequestBodies(settings.maxBodyBytes());
        TokenRoutes tokenRoutes = new TokenRoutes(refreshSession, bodies, new ClientAddress(settings.trustedProxies()));
        UserRoutes userRoutes = new UserRoutes(authenticate, logout);
        AdminKeys adminKeys = new AdminKeys(settings.adminKeys());
        AdminRoutes adminRoutes = new AdminRoutes(adminKeys, bodies, upsertUser, deleteUser, startSession, stepUpSession);
        FactorRoutes factorRoutes = new FactorRoutes(adminKeys, bodies, registerFactor, removeFactor);
        OAuthClientRoutes oauthClientRoutes = new OAuthClientRoutes(adminKeys, bodies, upsertOAuthClient, deleteOAuthClient);
        OperationsRoutes operationsRoutes = new OperationsRoutes(readPublicKeys, operations.readiness(), operations.metrics());
        SessionRoutes sessionRoutes = new SessionRoutes(authenticate, sessionUseCases.listOwn(), sessionUseCases.endOwn());
        AdminSessionRoutes adminSessionRoutes = new AdminSessionRoutes(adminKeys, sessionUseCases);
        OpenApiRoutes openApiRoutes = new OpenApiRoutes();
        Cors cors = new Cors(settings.cors());
        HttpMetrics metrics = new HttpMetrics(operations.metrics());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.jetty.modifyServer(jetty -> {
                jetty.setErrorHandler(new JettyErrorResponses());
                // Bodies are read before the routes without a thread; inside the graceful stop, which waits for them too.
                jetty.insertHandler(new RequestArrival(settings.maxBodyBytes(), operations.requestTimeout()));
                GracefulHandler graceful = new GracefulHandler();
                // Idle keep-alive connections are closed soon after the stop begins instead of after Jetty's default second.
                graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MILLIS);
                jetty.insertHandler(graceful);
                jetty.setStopTimeout(operations.stopTimeout().toMillis());
            });
            // Its own connector, so that requests Jetty refuses while parsing still get the error shape they asked for.
            config.jetty.addConnector((jetty, http) -> {
                ServerConnector connector = ApiVersionAwareConnectionFactory.connector(jetty, http, settings.host(), settings.port());
                // A connection with no request under way is closed after the idle timeout too, not Jetty's 30 s.
                connector.setIdleTimeout(operations.idleTimeout().toMillis());
                return connector;
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(operations.idleTimeout().toMillis());
                // Every access token the service issues fits, with the other headers a client sends.
                http.setRequestHeaderSize(AccessTokenLimits.REQUEST_HEADER_BYTES);
            });
            config.requestLogger.http((ctx, millis) -> {
                metrics.record(ctx, millis);
                RequestLog.log(ctx, millis);
            });
            // First, so that a preflight goes no further and every other answer, errors included, has the headers.
            config.routes.before(cors::handle);
            config.routes.before(ErrorResponses::echoApiVersion);
            config.routes.before(QueryStrings::requireWellFormed);
            config.routes.before(MethodOverride::refuse);
            tokenRoutes.register(config.routes);
            userRoutes.register(config.routes);
            adminRoutes.register(config.routes);
            factorRoutes.register(config.routes);
            oauthClientRoutes.register(config.routes);
            operationsRoutes.register(config.routes);
            sessionRoutes.register(config.routes);
            adminSessionRoutes.register(config.routes);
            openApiRoutes.register(config.routes);
            ErrorResponses.register(config.routes);
        });
    }

    /** Binds the configured host and port; see {@link #port()} for the port actually bound. */
    public synchronized HttpServer start() {
        if (!started) {
            app.start(settings.host(), settings.port());
            started = true;
        }
        return this;
    }

    /** Stops accepting, waits for in-flight requests up to the stop timeout, then closes whatever is left. */
    public synchronized void stop() {
        if (started) {
            try {
                app.stop();
            } catch (RuntimeException e) {
                // Jetty stops everything anyway and then reports the requests it had to cut off.
                LOG.warn("HTTP server stopped with requests still running after {} ms: {}", stopTimeout.toMillis(), e.toString());
            }
            started = false;
        }
    }

    /** The Javalin app, for tests that compare its routes with the OpenAPI document. */
    Javalin javalin() {
        return app;
    }

    /** The bound port (useful when the settings asked for port 0). */
    public int port() {
        return app.port();
    }
}
