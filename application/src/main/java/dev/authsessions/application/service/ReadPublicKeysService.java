package dev.authsessions.application.service;

import dev.authsessions.application.port.in.ReadPublicKeysUseCase;
import dev.authsessions.application.port.out.AccessTokenSigner;
import java.util.Map;

/** Publishes the signer's public verification keys. */
public final class ReadPublicKeysService implements ReadPublicKeysUseCase {
    private final AccessTokenSigner signer;

    public ReadPublicKeysService(AccessTokenSigner signer) {
        this.signer = signer;
    }

    @Override
    public Map<String, Object> publicKeys() {
        return signer.publicJwks();
    }
}
