package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import dev.authsessions.bootstrap.reliability.RouteTable.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link RouteTable} honest: it lists exactly the routes {@code adapters-http} registers (read
 * from the {@code *Routes} sources), and each of them answers on a running service. A new route
 * without its line in the table fails here, so the reliability suite never silently skips it.
 */
class RouteTableTest {
    private static final Pattern REGISTRATION =
            Pattern.compile("routes\\.(get|post|put|delete|patch|head|options)\\(\\s*\"([^\"]+)\"");

    @Test
    void theTableListsExactlyTheRoutesTheHttpAdapterRegisters() throws IOException {
        Path sources = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
                .resolve("adapters-http/src/main/java/dev/authsessions/adapters/http");
        assertTrue(Files.isDirectory(sources), "the HTTP adapter's sources are at " + sources);
        Set<String> registered = new TreeSet<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".java")).toList()) {
                Matcher m = REGISTRATION.matcher(Files.readString(file));
                while (m.find()) {
                    registered.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + m.group(2).replaceAll("\\{[^}]+}", "{}"));
                }
            }
        }
        assertTrue(registered.size() >= 10, "found the registrations: " + registered);
        Set<String> listed = new TreeSet<>();
        for (Route route : RouteTable.ALL) {
            assertTrue(listed.add(route.shape()), "listed twice: " + route);
        }
        assertEquals(registered, listed, "RouteTable.ALL must list every registered route, and only those (add one line per new route)");
    }

    @Test
    void everyListedRouteAnswersOnARunningServiceAndAnUnlistedOneDoesNot() {
        try (TestDatabase database = TestDatabases.fresh();
                InProcessService service = InProcessService.start(database, new MutableClock())) {
            Client api = service.client();
            for (Route route : RouteTable.ALL) {
                String path = route.path(route.pathRefs().stream().map(r -> UUID.randomUUID().toString()).toList());
                Client.Reply reply = api.send(route.method(), path, route.body() == RouteTable.BodyKind.NONE ? null : "application/json",
                        route.body() == RouteTable.BodyKind.NONE ? null : "{}", Map.of());
                assertTrue(reply.status() != 404 && reply.status() != 405, () -> route + " is not served: " + reply);
            }
            Client.Reply unknown = api.send("GET", "/no-such-route", null, null, Map.of());
            assertEquals(404, unknown.status(), unknown::toString);
        }
    }
}
