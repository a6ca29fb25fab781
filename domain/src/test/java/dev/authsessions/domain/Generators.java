package dev.authsessions.domain;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded generators for the property-style tests. The seed is fixed so runs are reproducible;
 * {@code -Dauthsessions.test.seed=<n>} explores other inputs. Failure messages print the seed and the case.
 */
final class Generators {
    static final long SEED = Long.getLong("authsessions.test.seed", 0x5EED_2026_0001L);

    /** Varint length boundaries (2^7k - 1 and 2^7k) and the ends of the counter range. */
    static final long[] COUNTER_EDGES = {
        0, 1, 2, 126, 127, 128, 129, 300, 16383, 16384, (1L << 21) - 1, 1L << 21, (1L << 28) - 1, 1L << 28,
        (1L << 32), (1L << 35) - 1, 1L << 35, (1L << 42) - 1, 1L << 42, (1L << 49) - 1, 1L << 49,
        (1L << 56) - 1, 1L << 56, 1L << 62, Long.MAX_VALUE - 1, Long.MAX_VALUE,
    };

    private Generators() {
    }

    static SplittableRandom random(String test) {
        return new SplittableRandom(SEED ^ test.hashCode());
    }

    /** A counter in 0..2^63-1 whose bit length is uniform, so every varint length is well covered. */
    static long counter(SplittableRandom random) {
        if (random.nextInt(8) == 0) {
            return COUNTER_EDGES[random.nextInt(COUNTER_EDGES.length)];
        }
        int bits = random.nextInt(64);
        if (bits == 0) {
            return 0;
        }
        long top = 1L << (bits - 1);
        return top | (random.nextLong() & (top - 1));
    }

    static SessionId sessionId(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> new SessionId(new UUID(0, 0));
            case 1 -> new SessionId(new UUID(-1, -1));
            default -> new SessionId(new UUID(random.nextLong(), random.nextLong()));
        };
    }

    static byte[] bytes(SplittableRandom random, int length) {
        byte[] result = new byte[length];
        random.nextBytes(result);
        return result;
    }

    static HmacKey key(SplittableRandom random) {
        return HmacKey.of(bytes(random, HmacKey.LENGTH));
    }

    /** A duration around the interesting points of {@code interval}: exactly, a nanosecond or millisecond either side, or anywhere. */
    static Duration around(SplittableRandom random, Duration interval) {
        return switch (random.nextInt(8)) {
            case 0 -> interval;
            case 1 -> interval.minusNanos(1);
            case 2 -> interval.plusNanos(1);
            case 3 -> interval.minusMillis(1);
            case 4 -> interval.plusMillis(1);
            case 5 -> Duration.ZERO;
            default -> Duration.ofNanos(random.nextLong(0, 3 * Math.max(1, interval.toNanos()) + 1));
        };
    }

    static String seedNote() {
        return " [seed " + SEED + "]";
    }
}
