package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.authsessions.application.port.out.SessionRepository;
import dev.authsessions.application.port.out.UserRepository;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no database URL the module runs its own PostgreSQL, and what it stores survives a restart. */
class EmbeddedPostgresServerTest {

    @Test
    void dataSurvivesARestartOnTheSameDirectory(@TempDir Path dataDir) {
        PostgresSettings settings = new PostgresSettings(Optional.empty(), dataDir, 2);
        User user = Fixtures.user();
        Session session = Fixtures.session(user.id());

        Injector first = Guice.createInjector(new PostgresModule(settings));
        PostgresLifecycle firstLifecycle = first.getInstance(PostgresLifecycle.class);
        try {
            assertTrue(firstLifecycle.embeddedPort().isPresent());
            first.getInstance(UserRepository.class).upsert(user);
            first.getInstance(SessionRepository.class).create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
        } finally {
            firstLifecycle.close();
        }
        assertFalse(firstLifecycle.isReachable());
        assertTrue(Files.isRegularFile(dataDir.resolve("pgdata").resolve("PG_VERSION")));

        Injector second = Guice.createInjector(new PostgresModule(settings));
        PostgresLifecycle secondLifecycle = second.getInstance(PostgresLifecycle.class);
        try {
            assertTrue(secondLifecycle.isReachable());
            assertEquals(Optional.of(user), second.getInstance(UserRepository.class).findById(user.id()));
            SessionRepository sessions = second.getInstance(SessionRepository.class);
            assertInstanceOf(JdbiSessionRepository.class, sessions);
            assertEquals(Optional.of(session), sessions.findById(session.id()));
        } finally {
            secondLifecycle.close();
        }
    }
}
