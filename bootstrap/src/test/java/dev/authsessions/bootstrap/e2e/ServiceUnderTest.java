package dev.authsessions.bootstrap.e2e;

import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One test class's service: a fresh database, a clock the test moves, and the real service started
 * with one configuration (env-style overrides), as an operator would run it.
 */
final class ServiceUnderTest implements AutoCloseable {
    final TestDatabase database;
    final MutableClock clock;
    final RunningService service;
    final Api api;
    final Rows rows;

    private ServiceUnderTest(TestDatabase database, MutableClock clock, RunningService service) {
        this.database = database;
        this.clock = clock;
        this.service = service;
        this.api = service.api;
        this.rows = new Rows(database);
    }

    static ServiceUnderTest start(Map<String, String> configuration) {
        TestDatabase database = TestDatabases.fresh();
        MutableClock clock = new MutableClock();
        try {
            return new ServiceUnderTest(database, clock, RunningService.start(database, clock, configuration));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    @Override
    public void close() {
        service.close();
        database.close();
    }

    /** Runs every call at once (all released by one latch) and returns the answers in the calls' order. */
    static <T> List<T> together(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
