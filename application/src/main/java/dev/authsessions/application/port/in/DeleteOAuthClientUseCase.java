package dev.authsessions.application.port.in;

import dev.authsessions.domain.OAuthClientId;

/** Deletes an OAuth client and, by cascade, all of its sessions. */
public interface DeleteOAuthClientUseCase {

    /** @throws Rejection {@code oauth_client_not_found} when there is no such client */
    void delete(OAuthClientId id);
}
