package dev.authsessions.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ES256 through nimbus directly, on a payload of the size and shape the service signs: is the cost in the
 * elliptic-curve arithmetic of the provider? {@code SunEC}: the JDK's provider. {@code BC}: BouncyCastle's
 * provider given the JDK's key object, which makes it rebuild the generator's precomputed table on every
 * signature. {@code BC-key}: BouncyCastle's provider with its own key object, built once, as the service
 * signs since 2026-11-27.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EcdsaProviderBenchmark {
    private static final String PAYLOAD = "{\"iss\":\"http://127.0.0.1:9999\",\"sub\":\"8d6f4f2e-4f0e-4c62-9d3b-3f1f7f0b5a11\","
            + "\"aud\":\"authenticated\",\"exp\":1790003600,\"iat\":1790000000,\"email\":\"ada@example.com\",\"phone\":\"\","
            + "\"app_metadata\":{\"provider\":\"email\",\"providers\":[\"email\"]},\"user_metadata\":{\"name\":\"Ada\"},"
            + "\"role\":\"authenticated\",\"aal\":\"aal1\",\"amr\":[{\"method\":\"password\",\"timestamp\":1789999940}],"
            + "\"session_id\":\"3f0e9f58-5a3c-4d7e-9b6f-2a1c0d4e5f60\",\"is_anonymous\":false}";

    @Param({"SunEC", "BC", "BC-key"})
    public String provider;

    private ECDSASigner signer;
    private JWSHeader header;

    @Setup
    public void setUp() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        BouncyCastleProvider bc = new BouncyCastleProvider();
        if (provider.equals("BC-key")) {
            java.security.PrivateKey own = java.security.KeyFactory.getInstance("EC", bc)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.toECPrivateKey().getEncoded()));
            signer = new ECDSASigner(own, Curve.P_256);
        } else {
            signer = new ECDSASigner(key);
        }
        if (!provider.equals("SunEC")) {
            signer.getJCAContext().setProvider(bc);
        }
        header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
    }

    @Benchmark
    public String sign() throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(PAYLOAD));
        jws.sign(signer);
        return jws.serialize();
    }
}
