package dev.authsessions.adapters.postgres;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link EmbeddedPostgresServer} on the data directory {@code args[0]} in a JVM of its own, for
 * {@link LeftoverPostmasterTest} to kill with SIGKILL: prints {@code ready <port>} once the server answers,
 * then waits (at most five minutes) to be killed.
 */
final class EmbeddedServerMain {
    private EmbeddedServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]));
        System.out.println("ready " + server.port());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
        server.close();
    }
}
