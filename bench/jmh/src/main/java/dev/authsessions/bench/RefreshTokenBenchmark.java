package dev.authsessions.bench;

import dev.authsessions.domain.HmacKey;
import dev.authsessions.domain.InvalidRefreshTokenException;
import dev.authsessions.domain.RefreshToken;
import dev.authsessions.domain.SessionId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The refresh-token codec (SPEC §2): what one refresh costs in it, and what rejecting a malformed token costs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RefreshTokenBenchmark {
    private SessionId sessionId;
    private HmacKey key;
    private String token;
    private String badChecksum;

    @Setup
    public void setUp() {
        sessionId = new SessionId(UUID.fromString("3f0e9f58-5a3c-4d7e-9b6f-2a1c0d4e5f60"));
        byte[] raw = new byte[HmacKey.LENGTH];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (31 * i + 7);
        }
        key = HmacKey.of(raw);
        token = RefreshToken.encode(sessionId, 1_234, key);
        char last = token.charAt(token.length() - 1);
        badChecksum = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    /** Issuing the next token of a rotation. */
    @Benchmark
    public String encode() {
        return RefreshToken.encode(sessionId, 1_235, key);
    }

    /** What a refresh does with the presented token: parse (checksum) and check the signature with the session key. */
    @Benchmark
    public boolean parseAndVerify() {
        return RefreshToken.parse(token).isSignedBy(key);
    }

    /** A malformed token (wrong checksum) is refused by parsing alone. */
    @Benchmark
    public Object parseMalformed() {
        try {
            return RefreshToken.parse(badChecksum);
        } catch (InvalidRefreshTokenException e) {
            return e;
        }
    }
}
