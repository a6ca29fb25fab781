package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.authsessions.application.port.in.SessionDetails;
import dev.authsessions.domain.SessionCursor;
import dev.authsessions.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listing and clean-up statements use the indexes of {@code seed/auth.sessions.md} on a table big
 * enough, and analysed, for the planner's choice to mean something: 100 000 sessions, one user with
 * 20 000 of them, a hundred past {@code not_after}.
 */
class SessionQueryPlansTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123456Z");
    private static TestDatabase database;
    private static Jdbi jdbi;
    private static UUID busyUser;

    @BeforeAll
    static void seed() {
        database = TestDatabases.fresh();
        jdbi = database.jdbi();
        busyUser = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO auth.users (id, aud, role) VALUES (:id, 'authenticated', 'authenticated')")
                    .bind("id", busyUser).execute();
            h.execute("""
                    INSERT INTO auth.users (id, aud, role)
                    SELECT gen_random_uuid(), 'authenticated', 'authenticated' FROM generate_series(1, 800)
                    """);
            h.createUpdate("""
                    WITH u AS (SELECT array_agg(id) AS ids FROM auth.users WHERE id <> :busy)
                    INSERT INTO auth.sessions (id, user_id, created_at, updated_at, aal, not_after, refresh_token_hmac_key,
                        refresh_token_counter)
                    SELECT gen_random_uuid(),
                           CASE WHEN g % 5 = 0 THEN :busy ELSE u.ids[1 + g % 800] END,
                           :now - g * interval '1 second', :now, 'aal1',
                           CASE WHEN g % 1000 = 0 THEN :expired WHEN g % 3 = 0 THEN :future END,
                           repeat('A', 43), 0
                      FROM generate_series(1, 100000) g, u
                    """)
                    .bind("busy", busyUser)
                    .bind("now", NOW.atOffset(ZoneOffset.UTC))
                    .bind("expired", NOW.minus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC))
                    .bind("future", NOW.plus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC))
                    .execute();
            h.execute("ANALYZE auth.users");
            h.execute("ANALYZE auth.sessions");
        });
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private static String plan(String sql, Consumer<Query> binder) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("EXPLAIN " + sql);
            binder.accept(query);
            return query.mapTo(String.class).list().stream().collect(Collectors.joining("\n"));
        });
    }

    @Test
    void theFirstPageOfAUsersSessionsIsAnIndexScanOnUserIdCreatedAt() {
        String plan = plan(JdbiSessionQueries.FIRST_PAGE, q -> q.bind("userId", busyUser).bind("limit", 101));

        assertTrue(plan.contains("user_id_created_at_idx"), plan);
        assertFalse(plan.contains("Seq Scan on sessions"), plan);
    }

    @Test
    void aLaterPageIsBoundedByTheSameIndex() {
        String plan = plan(JdbiSessionQueries.NEXT_PAGE, q -> q.bind("userId", busyUser).bind("limit", 101)
                .bind("createdAt", NOW.minus(Duration.ofHours(10)).atOffset(ZoneOffset.UTC))
                .bind("id", UUID.randomUUID()));

        assertTrue(plan.contains("user_id_created_at_idx"), plan);
        assertTrue(plan.matches("(?s).*Index Cond: \\(\\(user_id = .*created_at <= .*"), plan);
        assertFalse(plan.contains("Seq Scan on sessions"), plan);
    }

    @Test
    void theNotAfterCleanUpIsAnIndexScanOnNotAfterAndDeletesByPrimaryKey() {
        String plan = plan(JdbiSessionCleanup.DELETE_PAST_NOT_AFTER, q -> q
                .bind("cutoff", NOW.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)).bind("batch", 1000));

        assertTrue(plan.contains("sessions_not_after_idx"), plan);
        assertTrue(plan.contains("LockRows"), plan);
        assertTrue(plan.contains("sessions_pkey"), plan);
        assertFalse(plan.contains("Seq Scan on sessions"), plan);
    }

    @Test
    void thePagesTheIndexServesAreTheRightOnes() {
        JdbiSessionQueries queries = new JdbiSessionQueries(jdbi);
        UserId user = new UserId(busyUser);

        List<SessionDetails> first = queries.pageOfUser(user, null, 3);
        List<SessionDetails> second = queries.pageOfUser(user, SessionCursor.after(first.get(2).session()), 3);

        List<Instant> times = Stream.concat(first.stream(), second.stream())
                .map(d -> d.session().createdAt()).toList();
        assertEquals(List.of(NOW.minusSeconds(5), NOW.minusSeconds(10), NOW.minusSeconds(15), NOW.minusSeconds(20),
                NOW.minusSeconds(25), NOW.minusSeconds(30)), times);
    }
}
