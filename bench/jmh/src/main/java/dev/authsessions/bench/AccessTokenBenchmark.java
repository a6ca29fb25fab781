package dev.authsessions.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.authsessions.adapters.http.JwtSettings;
import dev.authsessions.adapters.http.NimbusAccessTokens;
import dev.authsessions.application.port.out.AccessTokenSigner;
import dev.authsessions.domain.Aal;
import dev.authsessions.domain.AmrClaim;
import dev.authsessions.domain.AuthenticationMethod;
import dev.authsessions.domain.SessionId;
import dev.authsessions.domain.User;
import dev.authsessions.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signing one access token with the service's own signer ({@link NimbusAccessTokens}) and the claims a
 * refresh signs (a user with metadata, one AMR claim): ES256 (the default, a key generated at start),
 * RS256 (2048-bit JWK) and HS256 (a secret).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessTokenBenchmark {
    @Param({"ES256", "RS256", "HS256"})
    public String algorithm;

    private NimbusAccessTokens signer;
    private AccessTokenSigner.Claims claims;

    @Setup
    public void setUp() throws Exception {
        String issuer = "http://127.0.0.1:9999";
        JwtSettings settings = switch (algorithm) {
            case "ES256" -> new JwtSettings(Optional.empty(), Optional.empty(), issuer);
            case "RS256" -> {
                RSAKey key = new RSAKeyGenerator(2048)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .keyOperations(Set.of(KeyOperation.SIGN))
                        .keyIDFromThumbprint(true)
                        .generate();
                yield new JwtSettings(Optional.of("{\"keys\":[" + key.toJSONString() + "]}"), Optional.empty(), issuer);
            }
            case "HS256" -> new JwtSettings(Optional.empty(), Optional.of("0123456789abcdef0123456789abcdef-bench"), issuer);
            default -> throw new IllegalArgumentException(algorithm);
        };
        signer = new NimbusAccessTokens(settings);
        Instant now = Instant.ofEpochSecond(1_790_000_000L);
        User user = new User(new UserId(UUID.fromString("8d6f4f2e-4f0e-4c62-9d3b-3f1f7f0b5a11")), "authenticated",
                "authenticated", "ada@example.com", "", Map.of("provider", "email", "providers", List.of("email")),
                Map.of("name", "Ada"), false, null, now, now, false);
        claims = new AccessTokenSigner.Claims(user, new SessionId(UUID.fromString("3f0e9f58-5a3c-4d7e-9b6f-2a1c0d4e5f60")),
                Aal.AAL1, List.of(new AmrClaim(AuthenticationMethod.PASSWORD, now.minusSeconds(60))), now,
                now.plusSeconds(3600), null, null);
    }

    @Benchmark
    public String sign() {
        return signer.sign(claims);
    }
}
