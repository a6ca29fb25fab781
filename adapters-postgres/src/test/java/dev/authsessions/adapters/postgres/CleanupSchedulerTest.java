package dev.authsessions.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase;
import dev.authsessions.application.port.in.CleanUpSessionsUseCase.Result;
import dev.authsessions.application.port.out.StorageUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CleanupSchedulerTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(CleanupScheduler.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureLog() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
        logger.setLevel(previousLevel);
    }

    private List<ILoggingEvent> lines() {
        return List.copyOf(log.list);
    }

    @Test
    void onePassLogsOneLineWithItsCounts() {
        CleanupScheduler scheduler = new CleanupScheduler(() -> new Result(7, 2, 1), Duration.ofMinutes(5));

        assertEquals(Optional.of(new Result(7, 2, 1)), scheduler.runOnce());

        assertEquals(1, lines().size());
        ILoggingEvent line = lines().get(0);
        assertEquals(Level.INFO, line.getLevel());
        assertTrue(line.getFormattedMessage().startsWith(
                "session clean-up deleted 10 sessions (7 past not_after, 2 past the timebox, 1 inactive) in "), line.getFormattedMessage());
        assertFalse(scheduler.isRunning());
    }

    @Test
    void aFailingPassLogsOneWarningAndReturnsNothing() {
        CleanupScheduler scheduler = new CleanupScheduler(() -> {
            throw new StorageUnavailableException("the database cannot be reached", null);
        }, Duration.ofMinutes(5));

        assertEquals(Optional.empty(), scheduler.runOnce());

        assertEquals(1, lines().size());
        assertEquals(Level.WARN, lines().get(0).getLevel());
        assertTrue(lines().get(0).getFormattedMessage().contains("StorageUnavailableException: the database cannot be reached"),
                lines().get(0).getFormattedMessage());
    }

    @Test
    void theScheduleKeepsRunningAfterAFailingPass() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch threePasses = new CountDownLatch(3);
        CleanUpSessionsUseCase flaky = () -> {
            int pass = passes.incrementAndGet();
            threePasses.countDown();
            if (pass == 1) {
                throw new IllegalStateException("first pass fails");
            }
            return new Result(pass, 0, 0);
        };

        try (CleanupScheduler scheduler = new CleanupScheduler(flaky, Duration.ofMillis(5)).start()) {
            assertTrue(scheduler.isRunning());
            assertTrue(threePasses.await(30, TimeUnit.SECONDS), "the schedule stopped after the failing pass");
            scheduler.close();
            assertFalse(scheduler.isRunning());
        }

        List<ILoggingEvent> lines = lines();
        assertEquals(Level.WARN, lines.get(0).getLevel());
        assertTrue(lines.get(0).getFormattedMessage().contains("IllegalStateException: first pass fails"));
        assertEquals(Level.INFO, lines.get(1).getLevel());
        assertTrue(lines.get(1).getFormattedMessage().startsWith("session clean-up deleted 2 sessions"));
        assertEquals(passes.get(), lines.size(), "one line per pass");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("session-cleanup")).allMatch(Thread::isDaemon));
    }

    @Test
    void theIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CleanupScheduler(() -> new Result(0, 0, 0), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new CleanupScheduler(() -> new Result(0, 0, 0), Duration.ofSeconds(-1)));
    }
}
