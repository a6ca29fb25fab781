package dev.authsessions.application.port.out;

import dev.authsessions.domain.OAuthClient;
import dev.authsessions.domain.OAuthClientId;
import java.util.Optional;

/** Stores OAuth clients; deleting one deletes its sessions by cascade. */
public interface OAuthClientRepository {

    /** A client that exists and is not soft-deleted. */
    Optional<OAuthClient> findById(OAuthClientId id);

    /** @return whether the client was created (rather than updated) */
    boolean upsert(OAuthClient client);

    /** @return whether a client was deleted */
    boolean delete(OAuthClientId id);
}
