package dev.authsessions.bootstrap;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts auth-sessions from environment variables; {@code --help} lists them. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(help());
            return;
        }
        boolean cleanupOnly = args.length == 1 && args[0].equals("cleanup");
        if (args.length > 0 && !cleanupOnly) {
            System.err.println("auth-sessions: unknown argument '" + args[0] + "' (try --help)");
            System.exit(2);
        }
        Configuration config;
        try {
            config = Configuration.fromEnvironment(System.getenv());
        } catch (ConfigurationException e) {
            System.err.println("auth-sessions: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cleanupOnly) {
            try {
                System.exit(AuthSessionsService.cleanUpOnce(config, Clock.systemUTC()).isPresent() ? 0 : 1);
            } catch (RuntimeException e) {
                refuseIfUnsuitableDatabase(e);
                throw e;
            }
            return;
        }
        LOG.info("Starting with {}", config);
        List<String> adminKeys = AuthSessionsService.resolveAdminKeys(config);
        long started = System.nanoTime();
        AuthSessionsService service;
        try {
            service = AuthSessionsService.start(config, adminKeys, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            System.err.println("auth-sessions: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            refuseIfUnsuitableDatabase(e);
            throw e;
        }
        if (config.adminKeys().isEmpty()) {
            // Printed to the console once, on purpose and never through the logger: the operator needs it to use the admin API.
            System.out.println("No AUTH_SESSIONS_ADMIN_KEYS set; admin key for this run: " + adminKeys.get(0));
        }
        LOG.info("auth-sessions listening on http://{}:{} (ready in {} ms)", config.host(), service.port(),
                (System.nanoTime() - started) / 1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            service.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A database auth-sessions cannot work with (GoTrue too old, a role RLS filters...): one line, exit 2. */
    private static void refuseIfUnsuitableDatabase(RuntimeException e) {
        AuthSessionsService.unsuitableDatabase(e).ifPresent(unsuitable -> {
            System.err.println("auth-sessions: " + unsuitable.getMessage());
            System.exit(2);
        });
    }

    static String help() {
        StringBuilder text = new StringBuilder();
        text.append("auth-sessions: a session authority speaking Supabase Auth's wire format.\n\n");
        text.append("Usage: java -jar auth-sessions.jar [--help | cleanup]\n\n");
        text.append("  (no argument)  run the service\n");
        text.append("  cleanup        delete expired sessions once (as the periodic job does) and exit\n");
        text.append("  --help         this text\n\n");
        text.append("Configuration (environment variables, all optional):\n");
        for (Configuration.Variable variable : Configuration.VARIABLES) {
            text.append(String.format("  %-44s %s%n      default: %s%n", variable.name(), variable.meaning(), variable.defaultValue()));
        }
        text.append("\nGoTrue's names (read where the AUTH_SESSIONS_* variable is unset, so GoTrue's environment file runs it):\n");
        for (Configuration.GoTrueName name : Configuration.GOTRUE_NAMES) {
            text.append(String.format("  %-48s -> %s%n      %s%n", name.name(), name.ours(), name.format()));
        }
        text.append("  GOTRUE_API_HOST, PORT, GOTRUE_API_PORT are not read: beside GoTrue both services run, on different ports.\n");
        return text.toString();
    }
}
