package dev.authsessions.application.port.in;

import java.util.Map;

/** The JSON Web Key Set that verifies access tokens; public keys only. */
public interface ReadPublicKeysUseCase {

    Map<String, Object> publicKeys();
}
