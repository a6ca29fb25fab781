package dev.authsessions.bootstrap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.authsessions.adapters.http.AccessTokenLimits;
import dev.authsessions.adapters.http.CorsSettings;
import dev.authsessions.adapters.http.HttpSettings;
import dev.authsessions.adapters.http.JwtSettings;
import dev.authsessions.adapters.http.NimbusAccessTokens;
import dev.authsessions.adapters.postgres.DatabaseUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigurationTest {

    @Test
    void defaultsMatchTheSpec() {
        Configuration c = Configuration.fromEnvironment(Map.of());
        assertEquals(Optional.empty(), c.databaseUrl());
        assertEquals(Path.of(".auth-sessions"), c.dataDir());
        assertEquals("127.0.0.1", c.host());
        assertEquals(9999, c.port());
        assertEquals(List.of(), c.adminKeys());
        assertEquals(Duration.ofSeconds(3600), c.jwtExp());
        assertEquals("http://127.0.0.1:9999", c.issuer());
        assertEquals(Optional.empty(), c.timebox());
        assertEquals(Optional.empty(), c.inactivityTimeout());
        assertEquals(Optional.empty(), c.allowLowAal());
        assertFalse(c.singlePerUser());
        assertTrue(c.refreshTokenRotation());
        assertEquals(Duration.ofSeconds(10), c.refreshTokenReuseInterval());
        assertFalse(c.refreshTokenAllowReuse());
        assertEquals(10, c.dbPoolSize());
        assertEquals(Duration.ofMinutes(5), c.cleanupInterval());
        assertEquals(Duration.ofHours(24), c.cleanupGrace());
        assertEquals(Optional.empty(), c.dbEncryption());
        assertEquals("text", c.logFormat());
        assertEquals(CorsSettings.defaults(), c.cors(), "GoTrue's CORS: every origin, client routes only");
    }

    @Test
    void readsEveryVariable() {
        Configuration c = Configuration.fromEnvironment(Map.ofEntries(
                Map.entry("AUTH_SESSIONS_DATABASE_URL", "postgres://u:p@db:5432/auth"),
                Map.entry("AUTH_SESSIONS_DATA_DIR", "/var/lib/auth"),
                Map.entry("AUTH_SESSIONS_HOST", "0.0.0.0"),
                Map.entry("AUTH_SESSIONS_PORT", "8080"),
                Map.entry("AUTH_SESSIONS_ADMIN_KEYS", "first-admin-key-0001, second-admin-key-002"),
                Map.entry("AUTH_SESSIONS_JWT_EXP", "900"),
                Map.entry("AUTH_SESSIONS_JWT_ISSUER", "https://auth.example.com"),
                Map.entry("AUTH_SESSIONS_TIMEBOX", "24h"),
                Map.entry("AUTH_SESSIONS_INACTIVITY_TIMEOUT", "PT30M"),
                Map.entry("AUTH_SESSIONS_ALLOW_LOW_AAL", "90s"),
                Map.entry("AUTH_SESSIONS_SINGLE_PER_USER", "true"),
                Map.entry("AUTH_SESSIONS_TAGS", "web,mobile"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", "false"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL", "30"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE", "true"),
                Map.entry("AUTH_SESSIONS_TRUSTED_PROXIES", "10.0.0.0/8, ::1/128"),
                Map.entry("AUTH_SESSIONS_DB_POOL_SIZE", "32")));
        assertEquals(Optional.of("postgres://u:p@db:5432/auth"), c.databaseUrl());
        assertEquals(Path.of("/var/lib/auth"), c.dataDir());
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
        assertEquals(List.of("first-admin-key-0001", "second-admin-key-002"), c.adminKeys());
        assertEquals(Duration.ofMinutes(15), c.jwtExp());
        assertEquals("https://auth.example.com", c.issuer());
        assertEquals(Optional.of(Duration.ofHours(24)), c.timebox());
        assertEquals(Optional.of(Duration.ofMinutes(30)), c.inactivityTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(90)), c.allowLowAal());
        assertTrue(c.singlePerUser());
        assertEquals(List.of("web", "mobile"), c.tags());
        assertFalse(c.refreshTokenRotation());
        assertEquals(Duration.ofSeconds(30), c.refreshTokenReuseInterval());
        assertTrue(c.refreshTokenAllowReuse());
        assertEquals(List.of("10.0.0.0/8", "::1/128"), c.trustedProxies());
        assertEquals(32, c.dbPoolSize());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AUTH_SESSIONS_PORT|http|not a whole number",
        "AUTH_SESSIONS_PORT|70000|must be between 0 and 65535",
        "AUTH_SESSIONS_DB_POOL_SIZE|0|must be between 1 and 1000",
        "AUTH_SESSIONS_JWT_EXP|0|must be positive",
        "AUTH_SESSIONS_JWT_EXP|soon|not a duration",
        "AUTH_SESSIONS_TIMEBOX|24 hours|not a duration",
        "AUTH_SESSIONS_INACTIVITY_TIMEOUT|PTxyz|not an ISO-8601 duration",
        "AUTH_SESSIONS_ALLOW_LOW_AAL|-5m|not a duration",
        "AUTH_SESSIONS_SINGLE_PER_USER|maybe|not a boolean",
        "AUTH_SESSIONS_REFRESH_TOKEN_ROTATION|2|not a boolean",
        "AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE|sure|not a boolean",
        "AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL|ten|not a duration",
        "AUTH_SESSIONS_TRUSTED_PROXIES|10.0.0.0/33|bad prefix length",
        "AUTH_SESSIONS_TRUSTED_PROXIES|example.com/8|is not an IP address or a CIDR range",
        "AUTH_SESSIONS_TAGS|has space|a tag is",
        "AUTH_SESSIONS_ADMIN_KEYS|short|at least 16 characters",
        "AUTH_SESSIONS_HOST|bad host!|not a host name",
        "AUTH_SESSIONS_CLEANUP_INTERVAL|0s|must be at least 1s",
        "AUTH_SESSIONS_CLEANUP_INTERVAL|often|not a duration",
        "AUTH_SESSIONS_CLEANUP_GRACE|a day|not a duration",
        "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS|https://app.example.com/|no path or trailing slash",
        "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS|app.example.com|is not an origin like https://app.example.com",
        "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS|https://*.*.example.com|has more than one *",
        "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS|*, https://app.example.com|list it alone",
        "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS|,|empty list",
        "AUTH_SESSIONS_CORS_ALLOWED_HEADERS|x custom|is not a header name",
        "AUTH_SESSIONS_CORS_ADMIN_ROUTES|sometimes|not a boolean",
    })
    void aBadValueNamesTheVariableAndTheProblem(String variable, String value, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of(variable, value)));
        assertTrue(e.getMessage().startsWith(variable + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    /**
     * One parser decides a trusted proxy range: whatever the configuration check accepts, the HTTP adapter takes at
     * start; whatever the adapter would refuse is refused at the check, in one line naming the variable.
     */
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", " 10.0.0.0/8 ", "10.0.0.0/8,,::1/128", "10.0.0.0/8, ,192.168.0.0/16", "127.0.0.1",
        "0.0.0.0/0", "192.168.4.0/22", "10.0.0.0/008", "::1", "::1/128", "::/0", "fd00::/8", "2001:db8::/33", "FD00::/8",
        "::ffff:10.0.0.1", "::ffff:10.0.0.0/8", "2001:db8:0:0:0:0:0:1/64", "::ffff:192.0.2.1/32",
        "10/8", "10.1/16", "10.0.0.0/33", "10.0.0.0/+8", "10.0.0.0/-0", "10.0.0.0/", "/8", "10.0.0.0/8/8", "010.0.0.1",
        "1.2.3.4.5", "256.0.0.1", "::1/129", "::1/0128", "[::1]/128", "fe80::1%1", "fe80::1%eth0/64", "1::2::3",
        "::ffff:10.0.0.0/104", "10.0.0.0 /8", "10.0.0.0/ 8", "ffff", "cafe", "beef/16", "localhost", "example.com/8",
        "10.0.0.0/8;rm", "0x0a.0.0.1", "1e100::/8", ",", " , "})
    void aTrustedProxyValueEitherStartsOrIsRefusedAtTheCheckNamingTheVariable(String value) {
        Configuration c;
        try {
            c = Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_TRUSTED_PROXIES", value));
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith("AUTH_SESSIONS_TRUSTED_PROXIES: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
            return;
        }
        List<String> ranges = c.trustedProxies();
        assertDoesNotThrow(() -> new HttpSettings("127.0.0.1", 0, List.of(), ranges, 1024),
                "the configuration check took " + ranges + " but the HTTP adapter refuses it");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10/8|not an IP address or a CIDR range",
        "10.0.0.0/33|bad prefix length",
        "::1/129|bad prefix length",
        "10.0.0.0/+8|bad prefix length",
        "fe80::1%eth0/64|not an IP address or a CIDR range",
        "ffff|not an IP address or a CIDR range",
    })
    void aRefusedRangeSaysWhatIsWrongWithIt(String value, String problem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_TRUSTED_PROXIES", value)));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aTrustedProxyValueWithALineBreakIsStillOneLine() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_TRUSTED_PROXIES", "10.0.0.0/8,10.0.\n0.0/8")));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void goodRangesAreKeptAsWritten() {
        assertEquals(List.of("10.0.0.0/8", "::1/128"),
                Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_TRUSTED_PROXIES", " 10.0.0.0/8 ,, ::1/128 ")).trustedProxies());
    }

    /** Signing keys and the database URL are read by their adapters' parsers at the check, not first at the start. */
    @Test
    void aJwtKeyOrSecretEitherWorksOrIsRefusedAtTheCheckNamingTheVariableButNotTheKey() throws Exception {
        ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("k1").keyOperations(Set.of(KeyOperation.SIGN)).generate();
        ECKey verifying = new ECKeyGenerator(Curve.P_256).keyID("k0").keyOperations(Set.of(KeyOperation.VERIFY)).generate();
        List<Map.Entry<String, String>> values = List.of(
                Map.entry("AUTH_SESSIONS_JWT_SECRET", "short-secret"),
                Map.entry("AUTH_SESSIONS_JWT_SECRET", "x".repeat(31)),
                Map.entry("AUTH_SESSIONS_JWT_SECRET", "x".repeat(32)),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "not json at all"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[]}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + signing.toPublicJWK().toJSONString() + "]}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + verifying.toJSONString() + "]}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + signing.toJSONString() + "," + signing.toJSONString() + "]}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + signing.toJSONString() + "]}"),
                Map.entry("AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[" + signing.toJSONString() + "," + verifying.toJSONString() + "]}"));
        int refused = 0;
        for (Map.Entry<String, String> value : values) {
            Configuration c;
            try {
                c = Configuration.fromEnvironment(Map.ofEntries(value));
            } catch (ConfigurationException e) {
                assertTrue(e.getMessage().startsWith(value.getKey() + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertFalse(e.getMessage().contains(signing.getD().toString()) || e.getMessage().contains("short-secret"),
                        e.getMessage());
                refused++;
                continue;
            }
            assertDoesNotThrow(() -> new NimbusAccessTokens(new JwtSettings(c.jwtKeys(), c.jwtSecret(), c.issuer())),
                    "the check took " + value.getKey() + " but signing refuses it");
        }
        assertEquals(8, refused);
        ConfigurationException shortSecret = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_JWT_SECRET", "short-secret")));
        assertEquals("AUTH_SESSIONS_JWT_SECRET: the HS256 secret must be at least 32 bytes long", shortSecret.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://u:p@db:5432/auth", "postgresql://db/auth", "jdbc:postgresql://db:5432/auth?user=u",
        "postgres://u:p@[::1]:5432/auth", "mysql://u:p@db/auth", "postgres://u:p@db:99999/auth", "postgres://u:p@db:port/auth",
        "postgres://u:p@/auth", "postgres://db/auth?password=hunter2hunter2", "postgres://u:p%zz@db/auth", "jdbc:mysql://db/auth",
        "db:5432/auth"})
    void aDatabaseUrlEitherConnectsOrIsRefusedAtTheCheckNamingTheVariableButNotThePassword(String value) {
        Configuration c;
        try {
            c = Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_DATABASE_URL", value));
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith("AUTH_SESSIONS_DATABASE_URL: "), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains(":p@"), e.getMessage());
            return;
        }
        assertDoesNotThrow(() -> DatabaseUrl.parse(c.databaseUrl().orElseThrow()), "the check took it but the adapter refuses it");
    }

    /**
     * Every duration the check takes can be added to and taken from any time a session has (now, give or take the
     * longest duration twice over: clean-up takes grace and timebox from now) within what PostgreSQL holds, so no
     * refresh or clean-up overflows. A longer one is refused naming the variable.
     */
    @ParameterizedTest
    @CsvSource({"AUTH_SESSIONS_JWT_EXP,9223372036854775807", "AUTH_SESSIONS_JWT_EXP,PT2562047788015215H",
        "AUTH_SESSIONS_TIMEBOX,106751991167300d", "AUTH_SESSIONS_TIMEBOX,36501d", "AUTH_SESSIONS_TIMEBOX,36500d",
        "AUTH_SESSIONS_INACTIVITY_TIMEOUT,9223372036854775807s", "AUTH_SESSIONS_ALLOW_LOW_AAL,3000000000000h",
        "AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL,9223372036854775807", "AUTH_SESSIONS_CLEANUP_GRACE,106751991167300d",
        "AUTH_SESSIONS_CLEANUP_INTERVAL,106751991167300d", "AUTH_SESSIONS_CLEANUP_GRACE,876000h"})
    void aDurationEitherWorksEverywhereOrIsRefusedNamingTheVariable(String variable, String value) {
        Configuration c;
        try {
            c = Configuration.fromEnvironment(Map.of(variable, value));
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith(variable + ": "), e.getMessage());
            return;
        }
        Instant earliestPostgres = Instant.parse("-4713-11-24T00:00:00Z");
        Instant now = Instant.parse("2026-12-03T00:00:00Z");
        for (Duration d : List.of(c.jwtExp(), c.timebox().orElse(Duration.ZERO), c.inactivityTimeout().orElse(Duration.ZERO),
                c.allowLowAal().orElse(Duration.ZERO), c.refreshTokenReuseInterval(), c.cleanupGrace(), c.cleanupInterval())) {
            Instant cleanupCutoff = assertDoesNotThrow(() -> now.minus(d).minus(d), variable);
            assertTrue(cleanupCutoff.isAfter(earliestPostgres), variable + " " + d);
            assertDoesNotThrow(() -> now.plus(d).plus(d), variable);
            assertDoesNotThrow(() -> d.toMillis(), variable);
        }
    }

    @Test
    void keysAndSecretTogetherAreRefusedWithoutEchoingEither() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_JWT_KEYS", "{\"keys\":[]}",
                "AUTH_SESSIONS_JWT_SECRET", "a-very-secret-value-of-32-bytes-or-more")));
        assertTrue(e.getMessage().startsWith("AUTH_SESSIONS_JWT_SECRET: "));
        assertFalse(e.getMessage().contains("a-very-secret-value"));
    }

    @Test
    void toStringMasksSecrets() {
        Configuration c = Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DATABASE_URL", "postgres://u:hunter2hunter2@db/auth",
                "AUTH_SESSIONS_ADMIN_KEYS", "admin-key-that-is-secret",
                "AUTH_SESSIONS_JWT_SECRET", "jwt-secret-jwt-secret-jwt-secret-xx"));
        String text = c.toString();
        assertFalse(text.contains("hunter2"));
        assertFalse(text.contains("admin-key-that-is-secret"));
        assertFalse(text.contains("jwt-secret-jwt"));
        assertTrue(text.contains("1 configured"));
    }

    @ParameterizedTest
    @CsvSource({"24h,PT24H", "30m,PT30M", "90s,PT1M30S", "1h30m,PT1H30M", "500ms,PT0.5S", "2d,PT48H", "pt15m,PT15M"})
    void durationsInEveryAcceptedSpelling(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @Test
    void blankValuesCountAsUnset() {
        Configuration c = Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_PORT", "  ", "AUTH_SESSIONS_TIMEBOX", ""));
        assertEquals(9999, c.port());
        assertEquals(Optional.empty(), c.timebox());
    }

    // ---- HMAC key encryption and log format ----------------------------------------------------------------

    private static final String KEY = "a2V5LW9uZS1rZXktb25lLWtleS1vbmUta2V5LW9uZSE";
    private static final String OLD_KEY = "b2xkLW9uZS1vbGQtb25lLW9sZC1vbmUtb2xkLW9uZSE";

    @Test
    void readsTheEncryptionKeyItsIdAndTheDecryptionKeys() {
        Configuration c = Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY + "=",
                "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "2026-05",
                "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "2025-11:" + OLD_KEY + ", 2026-05:" + KEY,
                "AUTH_SESSIONS_LOG_FORMAT", "json"));
        Configuration.DbEncryption encryption = c.dbEncryption().orElseThrow();
        assertEquals(Optional.of("2026-05"), encryption.keyId());
        assertEquals(Optional.of(KEY), encryption.key(), "padding is tolerated and dropped");
        assertEquals(Map.of("2025-11", OLD_KEY, "2026-05", KEY), encryption.decryptionKeys());
        assertEquals("json", c.logFormat());
        assertTrue(AuthSessionsService.hmacKeyEncryption(c).encrypts());

        Configuration decryptOnly = Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_DB_DECRYPTION_KEYS", "old:" + OLD_KEY));
        assertEquals(Optional.empty(), decryptOnly.dbEncryption().orElseThrow().keyId());
        assertFalse(AuthSessionsService.hmacKeyEncryption(decryptOnly).encrypts());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "AUTH_SESSIONS_DB_ENCRYPTION_KEY|not*base64url*at*all*but*forty*three*char|AUTH_SESSIONS_DB_ENCRYPTION_KEY: the key is not base64url",
        "AUTH_SESSIONS_DB_ENCRYPTION_KEY|c2hvcnQta2V5|AUTH_SESSIONS_DB_ENCRYPTION_KEY: the key must be 256 bits",
        "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID|has space|AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID: a key id is",
        "AUTH_SESSIONS_DB_DECRYPTION_KEYS|just-a-key|AUTH_SESSIONS_DB_DECRYPTION_KEYS: expected id:key pairs",
        "AUTH_SESSIONS_DB_DECRYPTION_KEYS|old:|AUTH_SESSIONS_DB_DECRYPTION_KEYS: expected id:key pairs",
        "AUTH_SESSIONS_DB_DECRYPTION_KEYS|:" + "abc|AUTH_SESSIONS_DB_DECRYPTION_KEYS: expected id:key pairs",
        "AUTH_SESSIONS_DB_DECRYPTION_KEYS|old:c2hvcnQta2V5|AUTH_SESSIONS_DB_DECRYPTION_KEYS: the key of id 'old' must be 256 bits",
        "AUTH_SESSIONS_DB_DECRYPTION_KEYS|old:***|AUTH_SESSIONS_DB_DECRYPTION_KEYS: the key of id 'old' is not base64url",
        "AUTH_SESSIONS_LOG_FORMAT|xml|AUTH_SESSIONS_LOG_FORMAT: use text or json",
        "AUTH_SESSIONS_LOG_FORMAT|JSON|AUTH_SESSIONS_LOG_FORMAT: use text or json",
    })
    void aBadEncryptionOrLogValueIsOneLineNamingTheVariableAndNeverTheKey(String variable, String value, String expected) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of(variable, value)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        String secretPart = value.contains(":") ? value.substring(value.indexOf(':') + 1) : value;
        if (secretPart.length() > 3 && !variable.endsWith("_ID") && !variable.endsWith("FORMAT")) {
            assertFalse(e.getMessage().contains(secretPart), e.getMessage());
        }
    }

    @Test
    void aKeyWithoutAnIdAnIdWithoutAKeyAndAClashingIdAreRefused() {
        ConfigurationException noId = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY)));
        assertEquals("AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID: required when AUTH_SESSIONS_DB_ENCRYPTION_KEY is set", noId.getMessage());
        ConfigurationException noKey = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "k1")));
        assertEquals("AUTH_SESSIONS_DB_ENCRYPTION_KEY: required when AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID is set", noKey.getMessage());
        ConfigurationException clash = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY, "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "k1",
                "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "k1:" + OLD_KEY)));
        assertTrue(clash.getMessage().startsWith("AUTH_SESSIONS_DB_DECRYPTION_KEYS: lists key id 'k1'"), clash.getMessage());
        ConfigurationException twice = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "a:" + KEY + ",a:" + OLD_KEY)));
        assertEquals("AUTH_SESSIONS_DB_DECRYPTION_KEYS: key id 'a' is listed twice", twice.getMessage());
        for (ConfigurationException e : List.of(noId, noKey, clash, twice)) {
            assertFalse(e.getMessage().contains(KEY) || e.getMessage().contains(OLD_KEY));
        }
    }

    @Test
    void theEffectiveConfigurationShowsKeyIdsButNoKey() {
        Configuration c = Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_DB_ENCRYPTION_KEY", KEY,
                "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "k2",
                "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "k1:" + OLD_KEY));
        String text = c.toString();
        assertTrue(text.contains("dbEncryption=key id k2, decryption key ids [k1]"), text);
        assertTrue(text.contains("logFormat=text"), text);
        assertFalse(text.contains(KEY) || text.contains(OLD_KEY), text);
        assertFalse(c.dbEncryption().orElseThrow().toString().contains(KEY));
        assertTrue(Configuration.fromEnvironment(Map.of()).toString().contains("dbEncryption=off"));
    }

    @Test
    void readsTheCorsVariables() {
        Configuration c = Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", "https://App.example.com, https://*.example.org,http://localhost:3000",
                "AUTH_SESSIONS_CORS_ALLOWED_HEADERS", "X-Request-Id, x-trace",
                "AUTH_SESSIONS_CORS_ADMIN_ROUTES", "true"));
        assertEquals(new CorsSettings(List.of("https://app.example.com", "https://*.example.org", "http://localhost:3000"),
                List.of("X-Request-Id", "x-trace"), true), c.cors());
        assertTrue(c.toString().contains("corsOrigins=[https://app.example.com, https://*.example.org, http://localhost:3000], "
                + "corsHeaders=[X-Request-Id, x-trace], corsAdminRoutes=true"), c.toString());

        Configuration star = Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", " * ",
                "AUTH_SESSIONS_CORS_ALLOWED_HEADERS", "*"));
        assertEquals(new CorsSettings(CorsSettings.EVERY_ORIGIN, List.of("*"), false), star.cors());
        assertEquals(CorsSettings.defaults(),
                Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", " ")).cors(), "blank is unset");
    }

    @Test
    void helpListsEveryNewVariable() {
        String help = Main.help();
        for (String variable : List.of("AUTH_SESSIONS_DB_ENCRYPTION_KEY ", "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID",
                "AUTH_SESSIONS_DB_DECRYPTION_KEYS", "AUTH_SESSIONS_LOG_FORMAT", "AUTH_SESSIONS_CORS_ALLOWED_ORIGINS",
                "AUTH_SESSIONS_CORS_ALLOWED_HEADERS", "AUTH_SESSIONS_CORS_ADMIN_ROUTES")) {
            assertTrue(help.contains(variable), variable);
        }
    }

    @Test
    void anIssuerLongerThanTheLargestAccessTokenAllowsIsRefused() {
        String longest = "https://" + "i".repeat(AccessTokenLimits.MAX_ISSUER_CHARS - 8);
        assertEquals(longest, Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_JWT_ISSUER", longest)).issuer());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of("AUTH_SESSIONS_JWT_ISSUER", longest + "i")));
        assertEquals("AUTH_SESSIONS_JWT_ISSUER: must be at most 1024 characters", e.getMessage());
    }

    @Test
    void theV1UpgradeSettingsDefaultToEverySessionOnV2AndRefuseValuesGoTrueRefuses() {
        assertEquals(dev.authsessions.domain.RefreshTokenUpgrade.ALL_TO_V2,
                Configuration.fromEnvironment(Map.of()).refreshTokenUpgrade());
        assertEquals(new dev.authsessions.domain.RefreshTokenUpgrade(2, 25), Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "25")).refreshTokenUpgrade());
        assertEquals(new dev.authsessions.domain.RefreshTokenUpgrade(1, 100), Configuration.fromEnvironment(Map.of(
                "AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION", "1")).refreshTokenUpgrade());
        for (Map.Entry<String, String> bad : List.of(Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION", "3"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "101"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "half"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Configuration.fromEnvironment(Map.ofEntries(bad)));
            assertTrue(e.getMessage().startsWith(bad.getKey() + ": "), e.getMessage());
        }
        String help = Main.help();
        assertTrue(help.contains("AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION"));
        assertTrue(help.contains("AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE"));
    }

    // GoTrue's names: read where ours are unset (supabase/auth internal/conf/configuration.go).

    private static final String GOTRUE_KEY = "pwFoiPyybQMqNmYVN0gUnpbfpGQV2sDv9vp0ZAxi_Y4";

    @Test
    void readsEachOfGoTruesNamesWhereOursIsUnset() {
        Configuration c = Configuration.fromEnvironment(Map.ofEntries(
                Map.entry("GOTRUE_DB_DATABASE_URL", "postgres://supabase_auth_admin:root@db:5432/postgres"),
                Map.entry("GOTRUE_JWT_SECRET", "a-gotrue-secret-of-more-than-32-bytes"),
                Map.entry("GOTRUE_JWT_EXP", "900"),
                Map.entry("GOTRUE_JWT_ISSUER", "https://project.supabase.co/auth/v1"),
                Map.entry("GOTRUE_SESSIONS_TIMEBOX", "1.5h"),
                Map.entry("GOTRUE_SESSIONS_INACTIVITY_TIMEOUT", "1h0m30s"),
                Map.entry("GOTRUE_SESSIONS_ALLOW_LOW_AAL", "300ms"),
                Map.entry("GOTRUE_SESSIONS_SINGLE_PER_USER", "t"),
                Map.entry("GOTRUE_SESSIONS_TAGS", "web,mobile"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED", "False"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL", "0"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_ALLOW_REUSE", "1"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_ALGORITHM_VERSION", "1"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "40"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "true"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "abc"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", GOTRUE_KEY),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS", "abc:" + GOTRUE_KEY),
                Map.entry("GOTRUE_CORS_ALLOWED_HEADERS", "x-trace-id")));
        assertEquals(Optional.of("postgres://supabase_auth_admin:root@db:5432/postgres"), c.databaseUrl());
        assertEquals(Optional.of("a-gotrue-secret-of-more-than-32-bytes"), c.jwtSecret());
        assertEquals(Optional.empty(), c.jwtKeys());
        assertEquals(Duration.ofSeconds(900), c.jwtExp());
        assertEquals("https://project.supabase.co/auth/v1", c.issuer());
        assertEquals(Optional.of(Duration.ofMinutes(90)), c.timebox());
        assertEquals(Optional.of(Duration.ofSeconds(3630)), c.inactivityTimeout());
        assertEquals(Optional.of(Duration.ofMillis(300)), c.allowLowAal());
        assertTrue(c.singlePerUser());
        assertEquals(List.of("web", "mobile"), c.tags());
        assertFalse(c.refreshTokenRotation());
        assertEquals(Duration.ZERO, c.refreshTokenReuseInterval());
        assertTrue(c.refreshTokenAllowReuse());
        assertEquals(new dev.authsessions.domain.RefreshTokenUpgrade(1, 40), c.refreshTokenUpgrade());
        assertEquals(Optional.of(new Configuration.DbEncryption(Optional.of("abc"), Optional.of(GOTRUE_KEY), Map.of("abc", GOTRUE_KEY))),
                c.dbEncryption());
        assertEquals(List.of("x-trace-id"), c.cors().extraAllowedHeaders());
        assertEquals(Optional.of("postgres://u:p@other:5432/db"), Configuration.fromEnvironment(
                Map.of("DATABASE_URL", "postgres://u:p@other:5432/db")).databaseUrl(), "GoTrue's fallback name");
        assertEquals(Optional.of("postgres://u:p@first:5432/db"), Configuration.fromEnvironment(Map.of(
                "GOTRUE_DB_DATABASE_URL", "postgres://u:p@first:5432/db", "DATABASE_URL", "postgres://u:p@other:5432/db"))
                .databaseUrl(), "GOTRUE_DB_DATABASE_URL first, as in GoTrue");
        assertEquals(Duration.ofHours(1), Configuration.fromEnvironment(Map.of("GOTRUE_JWT_EXP", "0")).jwtExp(),
                "GoTrue reads 0 as its default, 3600");
    }

    @Test
    void goTruesKeyArraySignsWithTheKeyWhoseKeyOpsSaySignAndItsSecretIsThenNotRead() throws Exception {
        ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("signing").keyOperations(Set.of(KeyOperation.SIGN, KeyOperation.VERIFY))
                .generate();
        ECKey verifying = new ECKeyGenerator(Curve.P_256).keyID("older").keyOperations(Set.of(KeyOperation.VERIFY)).generate();
        String array = "[" + verifying.toJSONString() + "," + signing.toJSONString() + "]";
        Configuration c = Configuration.fromEnvironment(Map.of("GOTRUE_JWT_KEYS", array,
                "GOTRUE_JWT_SECRET", "a-gotrue-secret-of-more-than-32-bytes"));
        assertEquals(Optional.empty(), c.jwtSecret(), "GoTrue signs with its key set then; the secret is not read");
        NimbusAccessTokens tokens = new NimbusAccessTokens(new JwtSettings(c.jwtKeys(), c.jwtSecret(), c.issuer()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> published = (List<Map<String, Object>>) tokens.publicJwks().get("keys");
        assertEquals(Set.of("signing", "older"), Set.of(published.get(0).get("kid"), published.get(1).get("kid")));

        ConfigurationException notAnArray = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(
                Map.of("GOTRUE_JWT_KEYS", "{\"keys\": " + array + "}")));
        assertTrue(notAnArray.getMessage().startsWith("GOTRUE_JWT_KEYS: GoTrue's format is a JSON array"), notAnArray.getMessage());
        ConfigurationException twoSigning = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(
                Map.of("GOTRUE_JWT_KEYS", "[" + signing.toJSONString() + "," + new ECKeyGenerator(Curve.P_256).keyID("b")
                        .keyOperations(Set.of(KeyOperation.SIGN)).generate().toJSONString() + "]")));
        assertTrue(twoSigning.getMessage().startsWith("GOTRUE_JWT_KEYS: "), twoSigning.getMessage());
        assertFalse(twoSigning.getMessage().contains(signing.getD().toString()));
    }

    @Test
    void oursWinOverGoTruesNamesAndGroupsAreTakenFromOneSide() {
        Map<String, String> both = Map.ofEntries(
                Map.entry("AUTH_SESSIONS_JWT_EXP", "600"), Map.entry("GOTRUE_JWT_EXP", "900"),
                Map.entry("AUTH_SESSIONS_TIMEBOX", "2h"), Map.entry("GOTRUE_SESSIONS_TIMEBOX", "not a duration"),
                Map.entry("AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", "true"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED", "false"),
                Map.entry("AUTH_SESSIONS_DATABASE_URL", "postgres://u:p@ours:5432/db"),
                Map.entry("DATABASE_URL", "postgres://u:p@gotrue:5432/db"),
                Map.entry("AUTH_SESSIONS_JWT_SECRET", "our-own-secret-of-more-than-32-bytes!"),
                Map.entry("GOTRUE_JWT_KEYS", "not even json"),
                Map.entry("AUTH_SESSIONS_DB_DECRYPTION_KEYS", "old:" + GOTRUE_KEY),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "true"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "abc"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", GOTRUE_KEY));
        Configuration c = Configuration.fromEnvironment(both);
        assertEquals(Duration.ofSeconds(600), c.jwtExp());
        assertEquals(Optional.of(Duration.ofHours(2)), c.timebox());
        assertTrue(c.refreshTokenRotation());
        assertEquals(Optional.of("postgres://u:p@ours:5432/db"), c.databaseUrl());
        assertEquals(Optional.of("our-own-secret-of-more-than-32-bytes!"), c.jwtSecret());
        assertEquals(Optional.empty(), c.jwtKeys());
        assertEquals(Optional.of(new Configuration.DbEncryption(Optional.empty(), Optional.empty(), Map.of("old", GOTRUE_KEY))),
                c.dbEncryption(), "one of our encryption variables set: none of GoTrue's is read");

        Configuration decryptOnly = Configuration.fromEnvironment(Map.of(
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "false",
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "abc",
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", GOTRUE_KEY,
                "GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS", "abc:" + GOTRUE_KEY));
        assertEquals(Optional.of(new Configuration.DbEncryption(Optional.empty(), Optional.empty(), Map.of("abc", GOTRUE_KEY))),
                decryptOnly.dbEncryption(), "GoTrue encrypts only with ENCRYPT=true; else it only decrypts");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GOTRUE_JWT_EXP | soon | GOTRUE_JWT_EXP: ",
            "GOTRUE_JWT_SECRET | short | GOTRUE_JWT_SECRET: ",
            "GOTRUE_SESSIONS_TIMEBOX | 1d | GOTRUE_SESSIONS_TIMEBOX: not a Go duration",
            "GOTRUE_SESSIONS_TIMEBOX | 0 | GOTRUE_SESSIONS_TIMEBOX: must be positive when set, as GoTrue requires",
            "GOTRUE_SESSIONS_INACTIVITY_TIMEOUT | -5m | GOTRUE_SESSIONS_INACTIVITY_TIMEOUT: must be positive",
            "GOTRUE_SESSIONS_ALLOW_LOW_AAL | 1000000h | GOTRUE_SESSIONS_ALLOW_LOW_AAL: must be at most 100 years",
            "GOTRUE_SESSIONS_SINGLE_PER_USER | yes | GOTRUE_SESSIONS_SINGLE_PER_USER: not a boolean as GoTrue reads it",
            "GOTRUE_SESSIONS_TAGS | a b | GOTRUE_SESSIONS_TAGS: ",
            "GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED | on | GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: not a boolean",
            "GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL | -1 | GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL: ",
            "GOTRUE_SECURITY_REFRESH_TOKEN_ALLOW_REUSE | 2 | GOTRUE_SECURITY_REFRESH_TOKEN_ALLOW_REUSE: not a boolean",
            "GOTRUE_SECURITY_REFRESH_TOKEN_ALGORITHM_VERSION | 3 | GOTRUE_SECURITY_REFRESH_TOKEN_ALGORITHM_VERSION: must be between 0 and 2",
            "GOTRUE_SECURITY_REFRESH_TOKEN_UPGRADE_PERCENTAGE | 101 | GOTRUE_SECURITY_REFRESH_TOKEN_UPGRADE_PERCENTAGE: must be between",
            "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT | yes | GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT: not a boolean",
            "GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS | abc:c2hvcnQ | GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS: ",
            "GOTRUE_DB_DATABASE_URL | mysql://u:secret-pw@h/db | GOTRUE_DB_DATABASE_URL: ",
            "DATABASE_URL | mysql://u:secret-pw@h/db | DATABASE_URL: ",
            "GOTRUE_CORS_ALLOWED_HEADERS | bad header | GOTRUE_CORS_ALLOWED_HEADERS: "})
    void aBadGoTrueValueStopsTheStartWithOneLineNamingGoTruesVariable(String variable, String value, String expected) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Configuration.fromEnvironment(Map.of(variable, value)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-pw"), e.getMessage());
    }

    @Test
    void goTruesEncryptionSettingsAreCheckedNamingGoTruesVariables() {
        ConfigurationException noId = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(Map.of(
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "true",
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", GOTRUE_KEY)));
        assertEquals("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID: required when GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY is set",
                noId.getMessage());
        ConfigurationException shortKey = assertThrows(ConfigurationException.class, () -> Configuration.fromEnvironment(Map.of(
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "true",
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "abc",
                "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", "c2hvcnQ")));
        assertTrue(shortKey.getMessage().startsWith("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY: "), shortKey.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"24h|PT24H", "1h30m|PT1H30M", "1.5h|PT1H30M", "300ms|PT0.3S", "1h0m0s|PT1H",
            ".5s|PT0.5S", "2.s|PT2S", "1500us|PT0.0015S", "1500\u00b5s|PT0.0015S", "7ns|PT0.000000007S", "+90s|PT1M30S",
            "0|PT0S", "1.0000000001s|PT1S"})
    void goDurationsInEveryFormGoReads(String go, String iso) {
        assertEquals(Duration.parse(iso), Durations.parseGo(go));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1d", "h", ".h", "1hh", "1 h", "PT1H", "1h-1m", "99999999999h"})
    void goDurationsGoRefusesAreRefused(String go) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseGo(go));
    }

    /** GoTrue's example.env and hack/test_asymmetric.env, the settings they hold that auth-sessions reads. */
    @Test
    void goTruesOwnEnvironmentFileRunsIt() throws Exception {
        ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("21a9eafe-24ab-4d10-960b-f949490f65e1")
                .keyOperations(Set.of(KeyOperation.SIGN, KeyOperation.VERIFY)).generate();
        Map<String, String> gotrueEnv = Map.ofEntries(
                Map.entry("GOTRUE_JWT_SECRET", "X4dNv2oLvR7BnqmYk07Fi2NG2frvL2sxNQ9hxBJ65eDkFQ4He6qHrLJB9UrjYIZ1Rk0/yeh4vmihlCtxpFTeVQ=="),
                Map.entry("GOTRUE_JWT_KEYS", "[" + signing.toJSONString() + "]"),
                Map.entry("GOTRUE_JWT_EXP", "3600"),
                Map.entry("GOTRUE_JWT_AUD", "authenticated"),
                Map.entry("GOTRUE_JWT_DEFAULT_GROUP_NAME", "authenticated"),
                Map.entry("GOTRUE_JWT_ADMIN_ROLES", "supabase_admin,service_role"),
                Map.entry("GOTRUE_DB_DRIVER", "postgres"),
                Map.entry("DB_NAMESPACE", "auth"),
                Map.entry("DATABASE_URL", "postgres://supabase_auth_admin:root@localhost:5432/postgres"),
                Map.entry("GOTRUE_API_HOST", "localhost"),
                Map.entry("PORT", "9999"),
                Map.entry("GOTRUE_SITE_URL", "https://example.netlify.com"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED", "false"),
                Map.entry("GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL", "0"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT", "true"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "abc"),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", GOTRUE_KEY),
                Map.entry("GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS", "abc:" + GOTRUE_KEY),
                Map.entry("AUTH_SESSIONS_PORT", "9998"));
        Configuration c = Configuration.fromEnvironment(gotrueEnv);
        assertEquals(Optional.of("postgres://supabase_auth_admin:root@localhost:5432/postgres"), c.databaseUrl());
        assertEquals(Optional.of("{\"keys\": [" + signing.toJSONString() + "]}"), c.jwtKeys());
        assertEquals(Optional.empty(), c.jwtSecret());
        assertEquals(Duration.ofSeconds(3600), c.jwtExp());
        assertFalse(c.refreshTokenRotation());
        assertEquals(Duration.ZERO, c.refreshTokenReuseInterval());
        assertEquals(Optional.of(new Configuration.DbEncryption(Optional.of("abc"), Optional.of(GOTRUE_KEY), Map.of("abc", GOTRUE_KEY))),
                c.dbEncryption());
        assertEquals("127.0.0.1", c.host(), "GoTrue's GOTRUE_API_HOST is not read");
        assertEquals(9998, c.port(), "GoTrue's PORT is not read");
        assertEquals(dev.authsessions.domain.RefreshTokenUpgrade.ALL_TO_V2, c.refreshTokenUpgrade(), "ours where GoTrue's is unset");
        String shown = c.toString();
        for (String secret : List.of(GOTRUE_KEY, signing.getD().toString(), "root@", "X4dNv2oLvR7")) {
            assertFalse(shown.contains(secret), "the effective configuration shows no secret: " + shown);
        }
    }

    @Test
    void helpListsGoTruesNamesWithOursAndSaysWhyItsPortIsNotRead() {
        String help = Main.help();
        int section = help.indexOf("GoTrue's names");
        assertTrue(section > 0, help);
        String names = help.substring(section);
        for (Configuration.GoTrueName name : Configuration.GOTRUE_NAMES) {
            assertTrue(names.matches("(?s).*\\n  " + name.name() + " +-> " + name.ours() + "\\n.*"), name.name());
        }
        for (String name : List.of("GOTRUE_JWT_SECRET", "GOTRUE_JWT_KEYS", "GOTRUE_JWT_EXP", "GOTRUE_JWT_ISSUER",
                "GOTRUE_SESSIONS_TIMEBOX", "GOTRUE_SESSIONS_INACTIVITY_TIMEOUT", "GOTRUE_SESSIONS_ALLOW_LOW_AAL",
                "GOTRUE_SESSIONS_SINGLE_PER_USER", "GOTRUE_SESSIONS_TAGS", "GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED",
                "GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL", "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY",
                "GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS", "GOTRUE_DB_DATABASE_URL", "DATABASE_URL",
                "GOTRUE_CORS_ALLOWED_HEADERS", "GOTRUE_SECURITY_REFRESH_TOKEN_ALGORITHM_VERSION")) {
            assertTrue(names.contains("\n  " + name + " "), name);
        }
        assertTrue(names.contains("GOTRUE_API_HOST, PORT, GOTRUE_API_PORT are not read"), names);
    }
}
