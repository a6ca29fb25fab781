package dev.authsessions.application.service;

import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.in.UpsertOAuthClientUseCase;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.domain.OAuthClient;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Creates or replaces an OAuth client. The secret is checked against the client type, then only its
 * hash ({@link ClientAuthentication#hashOf}) is kept; an update keeps the original creation time.
 */
public final class UpsertOAuthClientService implements UpsertOAuthClientUseCase {
    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_SECRET_LENGTH = 1024;

    private final OAuthClientRepository clients;
    private final Clock clock;
    private final GoTrueOwnedTables ownership;

    public UpsertOAuthClientService(OAuthClientRepository clients, Clock clock, DatabaseMode mode) {
        this.clients = clients;
        this.clock = clock;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public Result upsert(Command command) {
        ownership.requireWritable(GoTrueOwnedTables.Table.OAUTH_CLIENTS);
        OAuthClient.Type type = command.clientType() == null ? OAuthClient.Type.CONFIDENTIAL : command.clientType();
        String secret = command.clientSecret();
        if (type == OAuthClient.Type.CONFIDENTIAL && (secret == null || secret.isEmpty())) {
            throw Rejection.validation("client_secret is required for a confidential client");
        }
        if (type == OAuthClient.Type.PUBLIC && secret != null) {
            throw Rejection.validation("a public client has no client_secret");
        }
        if (secret != null && secret.length() > MAX_SECRET_LENGTH) {
            throw Rejection.validation("client_secret must be at most " + MAX_SECRET_LENGTH + " characters");
        }
        String name = command.clientName();
        if (name != null && (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH || name.indexOf('\u0000') >= 0)) {
            throw Rejection.validation("client_name must be at most " + MAX_NAME_LENGTH
                    + " characters and contain no NUL character");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Optional<OAuthClient> existing = clients.findById(command.id());
        OAuthClient client = new OAuthClient(command.id(), name, type,
                secret == null ? null : ClientAuthentication.hashOf(secret),
                existing.map(OAuthClient::createdAt).orElse(now), now);
        boolean created = clients.upsert(client);
        return new Result(client, created);
    }
}
