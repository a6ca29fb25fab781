package dev.authsessions.application.fakes;

import dev.authsessions.application.port.out.SecureRandomSource;
import java.util.Random;

/** Deterministic random bytes for tests: the same seed always gives the same sequence. */
public final class SeededRandomSource implements SecureRandomSource {
    private final Random random;

    public SeededRandomSource(long seed) {
        this.random = new Random(seed);
    }

    public SeededRandomSource() {
        this(42L);
    }

    @Override
    public synchronized byte[] nextBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
