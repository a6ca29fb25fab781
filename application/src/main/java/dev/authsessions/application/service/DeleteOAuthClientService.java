package dev.authsessions.application.service;

import dev.authsessions.application.port.in.DeleteOAuthClientUseCase;
import dev.authsessions.application.port.in.ErrorCode;
import dev.authsessions.application.port.in.Rejection;
import dev.authsessions.application.port.out.DatabaseMode;
import dev.authsessions.application.port.out.OAuthClientRepository;
import dev.authsessions.domain.OAuthClientId;

/** Deletes an OAuth client; the database cascades to its sessions and their claims. */
public final class DeleteOAuthClientService implements DeleteOAuthClientUseCase {
    private final OAuthClientRepository clients;
    private final GoTrueOwnedTables ownership;

    public DeleteOAuthClientService(OAuthClientRepository clients, DatabaseMode mode) {
        this.clients = clients;
        this.ownership = new GoTrueOwnedTables(mode);
    }

    @Override
    public void delete(OAuthClientId id) {
        ownership.requireWritable(GoTrueOwnedTables.Table.OAUTH_CLIENTS);
        if (!clients.delete(id)) {
            throw Rejection.notFound(ErrorCode.OAUTH_CLIENT_NOT_FOUND, "OAuth client not found");
        }
    }
}
