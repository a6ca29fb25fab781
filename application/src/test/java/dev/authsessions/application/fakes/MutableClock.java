package dev.authsessions.application.fakes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand. Optionally it advances by a fixed step on every read, to simulate
 * time passing while a service loops. Copies made by {@link #withZone} share the same instant.
 */
public final class MutableClock extends Clock {
    /** A start instant at PostgreSQL's precision (microseconds). */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-01T10:15:30.123456Z");

    private static final class State {
        private final AtomicReference<Instant> instant;
        private volatile Duration stepPerRead = Duration.ZERO;

        private State(Instant start) {
            this.instant = new AtomicReference<>(start);
        }
    }

    private final State state;
    private final ZoneId zone;

    private MutableClock(State state, ZoneId zone) {
        this.state = state;
        this.zone = zone;
    }

    public MutableClock(Instant start) {
        this(new State(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    public MutableClock() {
        this(DEFAULT_START);
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new MutableClock(state, zone);
    }

    /** The current instant; if a step per read is set, the clock then moves on by that step. */
    @Override
    public Instant instant() {
        Duration step = state.stepPerRead;
        return step.isZero() ? state.instant.get() : state.instant.getAndUpdate(i -> i.plus(step));
    }

    /** The current instant without advancing, whatever the step per read. */
    public Instant peek() {
        return state.instant.get();
    }

    public void setInstant(Instant instant) {
        state.instant.set(Objects.requireNonNull(instant, "instant"));
    }

    public Instant advance(Duration by) {
        return state.instant.updateAndGet(i -> i.plus(by));
    }

    /** Every later read of {@link #instant()} moves the clock on by {@code step}; zero turns this off. */
    public void advanceOnEachRead(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a clock does not run backwards");
        }
        state.stepPerRead = step;
    }
}
