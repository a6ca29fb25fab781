package dev.authsessions.adapters.postgres;

import static dev.authsessions.adapters.postgres.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.authsessions.application.port.out.SessionRepository.SessionContext;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.FactorId;
import dev.authsessions.domain.Session;
import dev.authsessions.domain.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the step-up and factor-removal transactions guarantee beyond the repository contracts: all or
 * nothing when a statement fails half-way, and no deadlock when one user's sessions step up at once.
 */
class JdbiStepUpTest {
    private static final Instant T1 = T0.plusSeconds(30);

    private static TestDatabase database;
    private static HikariDataSource pool;
    private static Jdbi jdbi;
    private static JdbiSessionRepository sessions;
    private static JdbiUserRepository users;
    private static JdbiMfaFactorRepository factors;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabases.fresh();
        pool = PostgresLifecycle.createPool(database.url(), 8, "step-up-" + database.name(), Duration.ofSeconds(30));
        jdbi = PostgresLifecycle.createJdbi(pool);
        sessions = new JdbiSessionRepository(jdbi);
        users = new JdbiUserRepository(jdbi);
        factors = new JdbiMfaFactorRepository(jdbi);
    }

    @AfterAll
    static void dropDatabase() {
        pool.close();
        database.close();
    }

    private static Session storedSession(User user) {
        Session session = Fixtures.session(user.id());
        sessions.create(session, Fixtures.claim(AuthenticationMethod.PASSWORD, T0));
        return session;
    }

    /** Runs {@code body} while a trigger that raises an error fires {@code timing} on {@code table}. */
    private static void withFailingTrigger(String table, String timing, Runnable body) {
        jdbi.useHandle(h -> h.execute("""
                CREATE FUNCTION auth.fail_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$;
                CREATE TRIGGER fail_for_test %s ON %s FOR EACH ROW EXECUTE FUNCTION auth.fail_for_test();
                """.formatted(timing, table)));
        try {
            body.run();
        } finally {
            jdbi.useHandle(h -> h.execute(
                    "DROP TRIGGER fail_for_test ON " + table + "; DROP FUNCTION auth.fail_for_test()"));
        }
    }

    @Test
    void aStepUpThatFailsAtItsLastStatementLeavesNoTrace() {
        User user = users.upsert(Fixtures.user()).user();
        Session target = storedSession(user);
        Session other = storedSession(user);
        FactorId factor = new FactorId(UUID.randomUUID());

        withFailingTrigger("auth.mfa_amr_claims", "BEFORE INSERT OR UPDATE", () -> assertThrows(RuntimeException.class,
                () -> sessions.stepUp(target.id(), factor, AuthenticationMethod.TOTP, Fixtures.key(), T1)));

        assertEquals(Optional.of(target), sessions.findById(target.id()));
        assertEquals(Optional.of(other), sessions.findById(other.id()), "the other aal1 session is not deleted");
        assertEquals(Optional.empty(), factors.findById(factor), "the factor is not registered");
        assertFalse(users.findById(user.id()).orElseThrow().hasVerifiedFactor());
    }

    @Test
    void aStepUpWhoseSessionVanishesAfterTheFactorIsWrittenRollsTheFactorBack() {
        User user = users.upsert(Fixtures.user()).user();
        Session target = storedSession(user);
        FactorId factor = new FactorId(UUID.randomUUID());
        // Stands in for a concurrent delete: the session disappears between the factor and the session update.
        jdbi.useHandle(h -> h.execute("""
                CREATE FUNCTION auth.delete_session_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN DELETE FROM auth.sessions WHERE id = '%s'; RETURN NEW; END $$;
                CREATE TRIGGER delete_session_for_test AFTER INSERT ON auth.mfa_factors
                    FOR EACH ROW EXECUTE FUNCTION auth.delete_session_for_test();
                """.formatted(target.id())));
        Optional<SessionContext> result;
        try {
            result = sessions.stepUp(target.id(), factor, AuthenticationMethod.TOTP, Fixtures.key(), T1);
        } finally {
            jdbi.useHandle(h -> h.execute("DROP TRIGGER delete_session_for_test ON auth.mfa_factors; "
                    + "DROP FUNCTION auth.delete_session_for_test()"));
        }

        assertEquals(Optional.empty(), result);
        assertEquals(Optional.empty(), factors.findById(factor));
        assertEquals(Optional.of(target), sessions.findById(target.id()), "the trigger's delete was rolled back too");
    }

    @Test
    void aFactorRemovalThatFailsHalfWayLeavesTheFactorAndItsSessions() {
        User user = users.upsert(Fixtures.user()).user();
        Session session = storedSession(user);
        FactorId factor = new FactorId(UUID.randomUUID());
        Session steppedUp = sessions.stepUp(session.id(), factor, AuthenticationMethod.TOTP, Fixtures.key(), T1)
                .orElseThrow().session();

        withFailingTrigger("auth.mfa_amr_claims", "BEFORE DELETE",
                () -> assertThrows(RuntimeException.class, () -> factors.remove(user.id(), factor, T1.plusSeconds(1))));

        assertTrue(factors.findById(factor).isPresent());
        assertEquals(Optional.of(steppedUp), sessions.findById(session.id()));
        assertEquals(2, sessions.claimsOf(session.id()).size());
    }

    @Test
    void twoSessionsOfOneUserSteppingUpAtOnceNeverDeadlockAndExactlyOneSurvives() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                User user = users.upsert(Fixtures.user()).user();
                List<Session> pair = List.of(storedSession(user), storedSession(user));
                List<FactorId> pairFactors = List.of(new FactorId(UUID.randomUUID()), new FactorId(UUID.randomUUID()));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<SessionContext>>> results = List.of(0, 1).stream()
                        .map(i -> threads.submit(() -> {
                            go.await();
                            return sessions.stepUp(pair.get(i).id(), pairFactors.get(i),
                                    AuthenticationMethod.TOTP, Fixtures.key(), T1);
                        }))
                        .toList();
                go.countDown();
                List<Optional<SessionContext>> outcomes = List.of(
                        results.get(0).get(60, TimeUnit.SECONDS), results.get(1).get(60, TimeUnit.SECONDS));

                int winner = outcomes.get(0).isPresent() ? 0 : 1;
                assertTrue(outcomes.get(winner).isPresent() && outcomes.get(1 - winner).isEmpty(),
                        "round " + round + ": exactly one step-up wins, the other finds its session deleted");
                assertEquals(List.of(outcomes.get(winner).orElseThrow().session()), sessions.listOfUser(user.id()));
                assertEquals(Aal.AAL2, sessions.listOfUser(user.id()).get(0).aal());
                assertEquals(Optional.empty(), factors.findById(pairFactors.get(1 - winner)),
                        "the losing step-up registered no factor");
                assertEquals(List.of(), sessions.claimsOf(pair.get(1 - winner).id()));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
