package dev.authsessions.adapters.postgres;

import java.util.Map;
import java.util.Optional;

/** The whole session repository contract again, with the HMAC keys encrypted at rest under a rotated key. */
class EncryptedJdbiSessionRepositoryContractTest extends JdbiSessionRepositoryContractTest {
    private static final HmacKeyEncryption ENCRYPTION = HmacKeyEncryption.of(Optional.of("contract-2"),
            Optional.of("Y29udHJhY3Qta2V5LTItY29udHJhY3Qta2V5LTItMiE"),
            Map.of("contract-1", "Y29udHJhY3Qta2V5LTEtY29udHJhY3Qta2V5LTEtMSE"));

    @Override
    protected Repositories createRepositories() {
        return new Repositories(new JdbiSessionRepository(jdbi, ENCRYPTION), new JdbiUserRepository(jdbi),
                new JdbiOAuthClientRepository(jdbi));
    }
}
