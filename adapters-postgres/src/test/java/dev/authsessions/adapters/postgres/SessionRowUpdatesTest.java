package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a refresh's rewrite of a session row lands in the table (V2's fill factor). */
class SessionRowUpdatesTest {
    private static TestDatabase database;
    private static Jdbi jdbi;
    private static JdbiSessionRepository sessions;
    private static JdbiUserRepository users;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        sessions = new JdbiSessionRepository(jdbi);
        users = new JdbiUserRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private static int pageOf(SessionId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT (ctid::text::point)[0]::int FROM auth.sessions WHERE id = :id")
                .bind("id", id.value()).mapTo(Integer.class).one());
    }

    @Test
    void refreshesRewriteASessionRowOnItsOwnPageEvenWhenThePageWasFilledByInserts() {
        User user = users.upsert(Fixtures.user()).user();
        List<Session> created = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Session session = Fixtures.session(user.id());
            sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
            created.add(session);
        }
        Session first = created.get(0);
        assertEquals(0, pageOf(first.id()));
        assertTrue(pageOf(created.get(created.size() - 1).id()) > 1, "the inserts filled several pages");

        for (long counter = 0; counter < 3; counter++) {
            assertTrue(sessions.compareAndSetCounter(first.id(), counter, counter + 1, T0.plusSeconds(counter + 1),
                    "Mozilla/5.0", "203.0.113.7").isPresent());
            // On a full page the new version would go to another page, with a new entry in every index.
            assertEquals(0, pageOf(first.id()), "after rotation " + (counter + 1));
        }
    }
}
