package dev.authsessions.adapters.http;

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

/** The HTTP API: one Javalin app with the routes of each resource and the one error mapping. */
public final class HttpServer {
    private final HttpSettings settings;
    private final Javalin app;
    private boolean started;

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
            DeleteOAuthClientUseCase deleteOAuthClient) {
        this.settings = settings;
        RequestBodies bodies = new RequestBodies(settings.maxBodyBytes());
        TokenRoutes tokenRoutes = new TokenRoutes(refreshSession, bodies, new ClientAddress(settings.trustedProxies()));
        UserRoutes userRoutes = new UserRoutes(authenticate, logout);
        AdminKeys adminKeys = new AdminKeys(settings.adminKeys());
        AdminRoutes adminRoutes = new AdminRoutes(adminKeys, bodies, upsertUser, deleteUser, startSession, stepUpSession);
        FactorRoutes factorRoutes = new FactorRoutes(adminKeys, bodies, registerFactor, removeFactor);
        OAuthClientRoutes oauthClientRoutes = new OAuthClientRoutes(adminKeys, bodies, upsertOAuthClient, deleteOAuthClient);
        OperationsRoutes operationsRoutes = new OperationsRoutes(readPublicKeys);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JettyErrorResponses()));
            config.requestLogger.http(RequestLog::log);
            config.routes.before(ErrorResponses::echoApiVersion);
            config.routes.before(QueryStrings::requireWellFormed);
            tokenRoutes.register(config.routes);
            userRoutes.register(config.routes);
            adminRoutes.register(config.routes);
            factorRoutes.register(config.routes);
            oauthClientRoutes.register(config.routes);
            operationsRoutes.register(config.routes);
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

    public synchronized void stop() {
        if (started) {
            app.stop();
            started = false;
        }
    }

    /** The bound port (useful when the settings asked for port 0). */
    public int port() {
        return app.port();
    }
}
