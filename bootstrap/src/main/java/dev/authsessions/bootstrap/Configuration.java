package dev.authsessions.bootstrap;

import dev.authsessions.adapters.http.AccessTokenLimits;
import dev.authsessions.adapters.http.CidrRange;
import dev.authsessions.adapters.http.CorsSettings;
import dev.authsessions.adapters.http.JwtSettings;
import dev.authsessions.adapters.http.NimbusAccessTokens;
import dev.authsessions.adapters.postgres.DatabaseUrl;
import dev.authsessions.domain.RefreshTokenUpgrade;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The service's configuration, read from {@code AUTH_SESSIONS_*} environment variables (SPEC §7).
 * Every variable is optional; a bad value stops the start with a {@link ConfigurationException}
 * naming the variable.
 */
public record Configuration(
        Optional<String> databaseUrl,
        Path dataDir,
        String host,
        int port,
        List<String> adminKeys,
        Optional<String> jwtKeys,
        Optional<String> jwtSecret,
        Duration jwtExp,
        Optional<String> jwtIssuer,
        Optional<Duration> timebox,
        Optional<Duration> inactivityTimeout,
        Optional<Duration> allowLowAal,
        boolean singlePerUser,
        List<String> tags,
        boolean refreshTokenRotation,
        Duration refreshTokenReuseInterval,
        boolean refreshTokenAllowReuse,
        List<String> trustedProxies,
        CorsSettings cors,
        int dbPoolSize,
        Duration cleanupInterval,
        Duration cleanupGrace,
        Optional<DbEncryption> dbEncryption,
        String logFormat,
        RefreshTokenUpgrade refreshTokenUpgrade) {

    /**
     * Encryption at rest of the sessions' HMAC keys: the current key (id and base64url of 32 bytes, both
     * or neither) and older keys that only decrypt. Validated; {@link #toString()} shows ids only.
     */
    public record DbEncryption(Optional<String> keyId, Optional<String> key, Map<String, String> decryptionKeys) {
        public DbEncryption {
            decryptionKeys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(decryptionKeys));
        }

        @Override
        public String toString() {
            return keyId.map(id -> "key id " + id).orElse("decrypt only")
                    + (decryptionKeys.isEmpty() ? "" : ", decryption key ids " + decryptionKeys.keySet());
        }
    }

    /** One documented variable: its name, default and meaning, as {@code --help} prints them. */
    public record Variable(String name, String defaultValue, String meaning) {
    }

    public static final List<Variable> VARIABLES = List.of(
            new Variable("AUTH_SESSIONS_DATABASE_URL", "unset: embedded PostgreSQL in the data dir",
                    "postgres://user:pass@host:port/db or a jdbc:postgresql: URL"),
            new Variable("AUTH_SESSIONS_DATA_DIR", "./.auth-sessions", "where the embedded PostgreSQL keeps its data"),
            new Variable("AUTH_SESSIONS_HOST", "127.0.0.1", "listen address"),
            new Variable("AUTH_SESSIONS_PORT", "9999", "listen port"),
            new Variable("AUTH_SESSIONS_ADMIN_KEYS", "unset: one random key generated and printed at start",
                    "comma-separated admin keys"),
            new Variable("AUTH_SESSIONS_JWT_KEYS", "unset: an ES256 key generated at start",
                    "a JWK set with private keys (ES256/RS256), exactly one with key_ops containing sign"),
            new Variable("AUTH_SESSIONS_JWT_SECRET", "unset", "an HS256 secret (at least 32 bytes); never published"),
            new Variable("AUTH_SESSIONS_JWT_EXP", "3600", "access token lifetime in seconds (or a duration)"),
            new Variable("AUTH_SESSIONS_JWT_ISSUER", "the service URL", "the iss claim"),
            new Variable("AUTH_SESSIONS_TIMEBOX", "off", "sessions end this long after they start (24h, 30m, ISO-8601)"),
            new Variable("AUTH_SESSIONS_INACTIVITY_TIMEOUT", "off", "sessions end when not refreshed for this long"),
            new Variable("AUTH_SESSIONS_ALLOW_LOW_AAL", "off", "how long a session may stay below the user's highest AAL"),
            new Variable("AUTH_SESSIONS_SINGLE_PER_USER", "false", "only the most recently refreshed session per user (and tag) lives"),
            new Variable("AUTH_SESSIONS_TAGS", "none", "comma-separated session tags for single-per-user"),
            new Variable("AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", "true", "end the session when an old refresh token is reused"),
            new Variable("AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL", "10", "seconds (or a duration) in which concurrent reuse is allowed"),
            new Variable("AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE", "false", "always allow reuse of old refresh tokens"),
            new Variable("AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION", "2",
                    "refresh token format legacy (v1) sessions move to on refresh: 2 (v2, with the upgrade percentage) or 1 (they stay v1)"),
            new Variable("AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "100", "share of legacy (v1) sessions (0-100, chosen per session) moved to v2 on refresh"),
            new Variable("AUTH_SESSIONS_TRUSTED_PROXIES", "none", "comma-separated CIDR ranges whose X-Forwarded-For is believed"),
            new Variable("AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", "*: every origin, as GoTrue",
                    "comma-separated origins browsers may call from (https://app.example.com, https://*.example.com)"),
            new Variable("AUTH_SESSIONS_CORS_ALLOWED_HEADERS", "none",
                    "comma-separated request headers allowed beyond GoTrue's and apikey (* for any)"),
            new Variable("AUTH_SESSIONS_CORS_ADMIN_ROUTES", "false", "answer browsers on the /admin routes too"),
            new Variable("AUTH_SESSIONS_DB_POOL_SIZE", "10", "database connections"),
            new Variable("AUTH_SESSIONS_CLEANUP_INTERVAL", "5m", "how often expired sessions are deleted"),
            new Variable("AUTH_SESSIONS_CLEANUP_GRACE", "24h", "how long after expiry a session is deleted"),
            new Variable("AUTH_SESSIONS_DB_ENCRYPTION_KEY", "unset: HMAC keys stored in plaintext",
                    "base64url of 32 random bytes; encrypts refresh_token_hmac_key at rest (GoTrue's aes-gcm-hkdf format)"),
            new Variable("AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID", "unset", "the id stored with values encrypted under that key (required with it)"),
            new Variable("AUTH_SESSIONS_DB_DECRYPTION_KEYS", "none", "older keys that still decrypt: id:key,id:key"),
            new Variable("AUTH_SESSIONS_LOG_FORMAT", "text", "text or json (one JSON object per line)"));

    /**
     * One of GoTrue's environment variables read where the {@code AUTH_SESSIONS_*} variable {@code ours} is unset, so
     * that GoTrue's environment file runs auth-sessions beside it; {@code format} says how GoTrue writes the value.
     */
    public record GoTrueName(String name, String ours, String format) {
    }

    /**
     * GoTrue's names (supabase/auth internal/conf/configuration.go), in the order they are tried: where one of ours
     * has two, the first set wins, as in GoTrue. GoTrue's listen address is not read: beside GoTrue both run, on
     * different ports.
     */
    public static final List<GoTrueName> GOTRUE_NAMES = List.of(
            new GoTrueName("GOTRUE_DB_DATABASE_URL", "AUTH_SESSIONS_DATABASE_URL", "a postgres:// URL"),
            new GoTrueName("DATABASE_URL", "AUTH_SESSIONS_DATABASE_URL", "a postgres:// URL (GoTrue's fallback name)"),
            new GoTrueName("GOTRUE_JWT_KEYS", "AUTH_SESSIONS_JWT_KEYS",
                    "a JSON array of private JWKs, one with key_ops sign (read only when neither AUTH_SESSIONS_JWT_KEYS nor _SECRET is set)"),
            new GoTrueName("GOTRUE_JWT_SECRET", "AUTH_SESSIONS_JWT_SECRET",
                    "the HS256 secret (read only when GOTRUE_JWT_KEYS is unset, as GoTrue then signs with it)"),
            new GoTrueName("GOTRUE_JWT_EXP", "AUTH_SESSIONS_JWT_EXP", "seconds; 0 means GoTrue's default, 3600"),
            new GoTrueName("GOTRUE_JWT_ISSUER", "AUTH_SESSIONS_JWT_ISSUER", "the iss claim (GoTrue's default is none; ours the service URL)"),
            new GoTrueName("GOTRUE_SESSIONS_TIMEBOX", "AUTH_SESSIONS_TIMEBOX", "a Go duration (24h, 1h30m, 1.5h), positive"),
            new GoTrueName("GOTRUE_SESSIONS_INACTIVITY_TIMEOUT", "AUTH_SESSIONS_INACTIVITY_TIMEOUT", "a Go duration, positive"),
            new GoTrueName("GOTRUE_SESSIONS_ALLOW_LOW_AAL", "AUTH_SESSIONS_ALLOW_LOW_AAL", "a Go duration, positive"),
            new GoTrueName("GOTRUE_SESSIONS_SINGLE_PER_USER", "AUTH_SESSIONS_SINGLE_PER_USER", "a Go boolean (true, false, 1, 0, t, f)"),
            new GoTrueName("GOTRUE_SESSIONS_TAGS", "AUTH_SESSIONS_TAGS", "comma-separated tags"),
            new GoTrueName("GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED", "AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", "a Go boolean"),
            new GoTrueName("GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL", "AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL",
                    "seconds (GoTrue's default is 0; ours 10)"),
            new GoTrueName("GOTRUE_SECURITY_REFRESH_TOKEN_ALLOW_REUSE", "AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE", "a Go boolean"),
            new GoTrueName("GOTRUE_SECURITY_REFRESH_TOKEN_ALGORITHM_VERSION", "AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION",
                    "0, 1 or 2 (GoTrue's default is 0, legacy tokens; ours 2)"),
            new GoTrueName("GOTRUE_SECURITY_REFRESH_TOKEN_UPGRADE_PERCENTAGE", "AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE",
                    "0-100 (GoTrue's default is 0; ours 100)"),
            new GoTrueName("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY", "AUTH_SESSIONS_DB_ENCRYPTION_KEY",
                    "base64url, 32 bytes; read only with GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT=true, and only when no"
                            + " AUTH_SESSIONS_DB_* encryption variable is set"),
            new GoTrueName("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID",
                    "as the key: only with GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT=true"),
            new GoTrueName("GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS", "AUTH_SESSIONS_DB_DECRYPTION_KEYS",
                    "id:key,id:key (may list the current key too)"),
            new GoTrueName("GOTRUE_CORS_ALLOWED_HEADERS", "AUTH_SESSIONS_CORS_ALLOWED_HEADERS", "comma-separated header names"));

    private static final String GOTRUE_JWT_KEYS = "GOTRUE_JWT_KEYS";
    private static final String GOTRUE_JWT_SECRET = "GOTRUE_JWT_SECRET";
    private static final String GOTRUE_ENCRYPT = "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPT";

    /** 100 years: more than any session needs, and what GoTrue's durations (int64 nanoseconds, 292 years) can say. */
    static final Duration LONGEST_DURATION = Duration.ofDays(36_500);
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final String ENCRYPTION_KEY = "AUTH_SESSIONS_DB_ENCRYPTION_KEY";
    private static final String ENCRYPTION_KEY_ID = "AUTH_SESSIONS_DB_ENCRYPTION_KEY_ID";
    private static final String DECRYPTION_KEYS = "AUTH_SESSIONS_DB_DECRYPTION_KEYS";
    private static final String LOG_FORMAT = "AUTH_SESSIONS_LOG_FORMAT";
    private static final String ALGORITHM_VERSION = "AUTH_SESSIONS_REFRESH_TOKEN_ALGORITHM_VERSION";
    private static final String UPGRADE_PERCENTAGE = "AUTH_SESSIONS_REFRESH_TOKEN_UPGRADE_PERCENTAGE";

    public static Configuration fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        Optional<String> jwtKeys = r.text("AUTH_SESSIONS_JWT_KEYS");
        Optional<String> jwtSecret = r.text("AUTH_SESSIONS_JWT_SECRET");
        if (jwtKeys.isPresent() && jwtSecret.isPresent()) {
            throw new ConfigurationException("AUTH_SESSIONS_JWT_SECRET",
                    "set either AUTH_SESSIONS_JWT_KEYS or AUTH_SESSIONS_JWT_SECRET, not both");
        }
        Duration jwtExp = r.get("AUTH_SESSIONS_JWT_EXP", Configuration::secondsOrDuration).orElse(Duration.ofHours(1));
        if (jwtExp.isZero() || jwtExp.isNegative()) {
            throw new ConfigurationException(r.source("AUTH_SESSIONS_JWT_EXP"), "must be positive");
        }
        Duration reuseInterval = r.get("AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL", Configuration::secondsOrDuration)
                .orElse(Duration.ofSeconds(10));
        if (reuseInterval.isNegative()) {
            throw new ConfigurationException(r.source("AUTH_SESSIONS_REFRESH_TOKEN_REUSE_INTERVAL"), "cannot be negative");
        }
        int port = r.get("AUTH_SESSIONS_PORT", v -> integer(v, 0, 65535)).orElse(9999);
        int poolSize = r.get("AUTH_SESSIONS_DB_POOL_SIZE", v -> integer(v, 1, 1000)).orElse(10);
        Duration cleanupInterval = r.get("AUTH_SESSIONS_CLEANUP_INTERVAL", Configuration::nonNegativeDuration)
                .orElse(Duration.ofMinutes(5));
        if (cleanupInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException("AUTH_SESSIONS_CLEANUP_INTERVAL", "must be at least 1s");
        }
        return checkedByTheAdapters(r, new Configuration(
                r.text("AUTH_SESSIONS_DATABASE_URL"),
                r.get("AUTH_SESSIONS_DATA_DIR", Path::of).orElse(Path.of(".auth-sessions")),
                r.get("AUTH_SESSIONS_HOST", Configuration::host).orElse("127.0.0.1"),
                port,
                r.get("AUTH_SESSIONS_ADMIN_KEYS", Configuration::adminKeys).orElse(List.of()),
                jwtKeys,
                jwtSecret,
                jwtExp,
                r.get("AUTH_SESSIONS_JWT_ISSUER", Configuration::issuerClaim),
                r.get("AUTH_SESSIONS_TIMEBOX", Configuration::nonNegativeDuration),
                r.get("AUTH_SESSIONS_INACTIVITY_TIMEOUT", Configuration::nonNegativeDuration),
                r.get("AUTH_SESSIONS_ALLOW_LOW_AAL", Configuration::nonNegativeDuration),
                r.get("AUTH_SESSIONS_SINGLE_PER_USER", Configuration::bool).orElse(false),
                r.get("AUTH_SESSIONS_TAGS", Configuration::tags).orElse(List.of()),
                r.get("AUTH_SESSIONS_REFRESH_TOKEN_ROTATION", Configuration::bool).orElse(true),
                reuseInterval,
                r.get("AUTH_SESSIONS_REFRESH_TOKEN_ALLOW_REUSE", Configuration::bool).orElse(false),
                r.get("AUTH_SESSIONS_TRUSTED_PROXIES", Configuration::cidrs).orElse(List.of()),
                cors(r),
                poolSize,
                cleanupInterval,
                r.get("AUTH_SESSIONS_CLEANUP_GRACE", Configuration::nonNegativeDuration).orElse(Duration.ofHours(24)),
                dbEncryption(r),
                logFormat(env),
                new RefreshTokenUpgrade(r.get(ALGORITHM_VERSION, v -> integer(v, 0, 2)).orElse(2),
                        r.get(UPGRADE_PERCENTAGE, v -> integer(v, 0, 100)).orElse(100))));
    }

    /**
     * The values an adapter parses again at start, read here by that adapter's own parser, so that a value taken
     * here never stops the start later without naming its variable. The messages carry no key or password.
     */
    private static Configuration checkedByTheAdapters(Reader r, Configuration c) {
        c.databaseUrl.ifPresent(url -> {
            try {
                DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(r.source("AUTH_SESSIONS_DATABASE_URL"), e.getMessage());
            }
        });
        if (c.jwtKeys.isPresent() || c.jwtSecret.isPresent()) {
            try {
                new NimbusAccessTokens(new JwtSettings(c.jwtKeys, c.jwtSecret, c.issuer()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(r.source(c.jwtKeys.isPresent() ? "AUTH_SESSIONS_JWT_KEYS" : "AUTH_SESSIONS_JWT_SECRET"),
                        e.getMessage());
            }
        }
        return c;
    }

    /** Each value is checked by the HTTP adapter's own rules, so what passes here cannot stop the start later. */
    private static CorsSettings cors(Reader r) {
        return new CorsSettings(
                r.get("AUTH_SESSIONS_CORS_ALLOWED_ORIGINS", v -> CorsSettings.origins(splitList(v))).orElse(CorsSettings.EVERY_ORIGIN),
                r.get("AUTH_SESSIONS_CORS_ALLOWED_HEADERS", v -> CorsSettings.headers(splitList(v))).orElse(List.of()),
                r.get("AUTH_SESSIONS_CORS_ADMIN_ROUTES", Configuration::bool).orElse(false));
    }

    private static Optional<DbEncryption> dbEncryption(Reader r) {
        Optional<String> key = r.get(ENCRYPTION_KEY, v -> encryptionKey(v, "the key"));
        Optional<String> keyId = r.get(ENCRYPTION_KEY_ID, Configuration::keyId);
        Map<String, String> older = r.get(DECRYPTION_KEYS, Configuration::decryptionKeys).orElse(Map.of());
        boolean gotrue = !r.source(ENCRYPTION_KEY).equals(ENCRYPTION_KEY) || !r.source(ENCRYPTION_KEY_ID).equals(ENCRYPTION_KEY_ID)
                || !r.source(DECRYPTION_KEYS).equals(DECRYPTION_KEYS);
        String keyName = gotrue ? "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY" : ENCRYPTION_KEY;
        String keyIdName = gotrue ? "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID" : ENCRYPTION_KEY_ID;
        String olderName = gotrue ? "GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS" : DECRYPTION_KEYS;
        if (key.isPresent() && keyId.isEmpty()) {
            throw new ConfigurationException(keyIdName, "required when " + keyName + " is set");
        }
        if (keyId.isPresent() && key.isEmpty()) {
            throw new ConfigurationException(keyName, "required when " + keyIdName + " is set");
        }
        if (keyId.isPresent() && older.containsKey(keyId.get()) && !older.get(keyId.get()).equals(key.get())) {
            throw new ConfigurationException(olderName,
                    "lists key id '" + keyId.get() + "', the current " + keyIdName + ", with another key");
        }
        if (key.isEmpty() && older.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DbEncryption(keyId, key, older));
    }

    /** Exactly {@code text} or {@code json}: logback picks its appender by this very value (see logback.xml). */
    private static String logFormat(Map<String, String> env) {
        String value = env.get(LOG_FORMAT);
        if (value == null) {
            return "text";
        }
        if (!value.equals("text") && !value.equals("json")) {
            throw new ConfigurationException(LOG_FORMAT, "use text or json (lower case, no spaces)");
        }
        return value;
    }

    /** A base64url 256-bit key, normalised to no padding; the messages never repeat it. */
    private static String encryptionKey(String value, String what) {
        String unpadded = value;
        while (unpadded.endsWith("=")) {
            unpadded = unpadded.substring(0, unpadded.length() - 1);
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getUrlDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64url (A-Z a-z 0-9 - _)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(what + " must be 256 bits (32 bytes, 43 base64url characters), not " + bytes.length * 8);
        }
        return unpadded;
    }

    /** Every access token carries it, so it counts against the largest token (AccessTokenLimits). */
    private static String issuerClaim(String value) {
        if (value.length() > AccessTokenLimits.MAX_ISSUER_CHARS) {
            throw new IllegalArgumentException("must be at most " + AccessTokenLimits.MAX_ISSUER_CHARS + " characters");
        }
        return value;
    }

    private static String keyId(String value) {
        if (!KEY_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("a key id is 1-64 letters, digits or _.-");
        }
        return value;
    }

    private static Map<String, String> decryptionKeys(String value) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (String pair : splitList(value)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("expected id:key pairs separated by commas");
            }
            String id = keyId(pair.substring(0, colon).trim());
            if (keys.put(id, encryptionKey(pair.substring(colon + 1).trim(), "the key of id '" + id + "'")) != null) {
                throw new IllegalArgumentException("key id '" + id + "' is listed twice");
            }
        }
        return keys;
    }

    /** The issuer: the configured one, or the URL the service listens on. */
    public String issuer() {
        return jwtIssuer.orElseGet(() -> "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /**
     * Reads variables; blank counts as unset. Where one of ours is unset, GoTrue's name for it ({@link #GOTRUE_NAMES})
     * is read, its value turned into our format and checked by the same parser; a refusal names GoTrue's variable.
     */
    private static final class Reader {
        private final Map<String, String> env;
        private final java.util.Set<String> notRead = new java.util.HashSet<>();
        private final Map<String, String> readFrom = new java.util.HashMap<>();

        Reader(Map<String, String> env) {
            this.env = env;
            // Keys and secret, and the encryption settings, are each taken as a group from one side only.
            if (raw("AUTH_SESSIONS_JWT_KEYS").isPresent() || raw("AUTH_SESSIONS_JWT_SECRET").isPresent()) {
                notRead.addAll(List.of(GOTRUE_JWT_KEYS, GOTRUE_JWT_SECRET));
            }
            if (raw(GOTRUE_JWT_KEYS).isPresent()) {
                notRead.add(GOTRUE_JWT_SECRET); // GoTrue signs with its key set then; the secret signs nothing
            }
            List<String> gotrueEncryption = List.of("GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY",
                    "GOTRUE_SECURITY_DB_ENCRYPTION_ENCRYPTION_KEY_ID", "GOTRUE_SECURITY_DB_ENCRYPTION_DECRYPTION_KEYS");
            if (raw(ENCRYPTION_KEY).isPresent() || raw(ENCRYPTION_KEY_ID).isPresent() || raw(DECRYPTION_KEYS).isPresent()) {
                notRead.addAll(gotrueEncryption);
            } else if (!raw(GOTRUE_ENCRYPT).map(v -> goBoolean(GOTRUE_ENCRYPT, v)).orElse(false)) {
                notRead.addAll(gotrueEncryption.subList(0, 2)); // GoTrue then only decrypts
            }
        }

        private Optional<String> raw(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        Optional<String> text(String name) {
            Optional<String> own = raw(name);
            if (own.isPresent()) {
                return own;
            }
            for (GoTrueName gotrue : GOTRUE_NAMES) {
                Optional<String> value = gotrue.ours().equals(name) && !notRead.contains(gotrue.name())
                        ? raw(gotrue.name()) : Optional.empty();
                if (value.isPresent()) {
                    readFrom.put(name, gotrue.name());
                    return fromGoTrue(gotrue.name(), value.get());
                }
            }
            return Optional.empty();
        }

        /** The variable the value of {@code name} was read from: ours, or GoTrue's name for it. */
        String source(String name) {
            return readFrom.getOrDefault(name, name);
        }

        <T> Optional<T> get(String name, Function<String, T> parser) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parser.apply(value.get()));
            } catch (RuntimeException e) {
                throw new ConfigurationException(source(name), e.getMessage() == null ? "invalid value" : e.getMessage());
            }
        }
    }

    /** GoTrue's value in our format; what GoTrue itself would refuse is refused naming its variable. */
    private static Optional<String> fromGoTrue(String name, String value) {
        switch (name) {
            case GOTRUE_JWT_KEYS:
                if (!value.startsWith("[")) {
                    throw new ConfigurationException(name, "GoTrue's format is a JSON array of JWKs: [{...}, {...}]");
                }
                return Optional.of("{\"keys\": " + value + "}");
            case "GOTRUE_JWT_EXP":
                return value.equals("0") ? Optional.empty() : Optional.of(value);
            case "GOTRUE_SESSIONS_TIMEBOX", "GOTRUE_SESSIONS_INACTIVITY_TIMEOUT", "GOTRUE_SESSIONS_ALLOW_LOW_AAL":
                Duration duration;
                try {
                    duration = Durations.parseGo(value);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(name, e.getMessage());
                }
                if (duration.isNegative() || duration.isZero()) {
                    throw new ConfigurationException(name, "must be positive when set, as GoTrue requires");
                }
                return Optional.of(duration.toString());
            case "GOTRUE_SESSIONS_SINGLE_PER_USER", "GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED",
                    "GOTRUE_SECURITY_REFRESH_TOKEN_ALLOW_REUSE":
                return Optional.of(String.valueOf(goBoolean(name, value)));
            default:
                return Optional.of(value);
        }
    }

    /** A boolean as Go's strconv.ParseBool reads it. */
    private static boolean goBoolean(String name, String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new ConfigurationException(name, "not a boolean as GoTrue reads it (true, false, 1, 0, t, f)");
        };
    }

    private static int integer(String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return parsed;
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean (use true or false)");
        };
    }

    private static Duration secondsOrDuration(String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return atMostTheLongest(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("number too large");
            }
        }
        return nonNegativeDuration(value);
    }

    private static Duration nonNegativeDuration(String value) {
        Duration duration;
        try {
            duration = Durations.parse(value);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too large");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot be negative");
        }
        return atMostTheLongest(duration);
    }

    /**
     * A longer duration than {@link #LONGEST_DURATION} passed this check and then failed in use: the time it is
     * added to or taken from leaves what {@link java.time.Instant} or PostgreSQL hold, and every refresh or
     * clean-up with it is a 500.
     */
    private static Duration atMostTheLongest(Duration duration) {
        if (duration.compareTo(LONGEST_DURATION) > 0) {
            throw new IllegalArgumentException("must be at most 100 years (36500d)");
        }
        return duration;
    }

    private static String host(String value) {
        if (!value.matches("[A-Za-z0-9.:\\-]+")) {
            throw new IllegalArgumentException("not a host name or IP address");
        }
        return value;
    }

    private static List<String> adminKeys(String value) {
        List<String> keys = splitList(value);
        for (String key : keys) {
            if (key.length() < 16) {
                throw new IllegalArgumentException("every admin key needs at least 16 characters");
            }
        }
        return keys;
    }

    private static List<String> tags(String value) {
        List<String> tags = splitList(value);
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("a tag is 1-64 letters, digits or _.:-");
            }
        }
        return tags;
    }

    /** Read by the HTTP adapter's own parser, so that a range taken here is never refused at the start. */
    private static List<String> cidrs(String value) {
        List<String> ranges = splitList(value);
        ranges.forEach(CidrRange::parse);
        return ranges;
    }

    private static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty list");
        }
        return List.copyOf(items);
    }

    @Override
    public String toString() {
        return "Configuration[database=" + databaseUrl.map(u -> "configured").orElse("embedded in " + dataDir)
                + ", listen=" + host + ":" + port
                + ", adminKeys=" + (adminKeys.isEmpty() ? "generated" : adminKeys.size() + " configured")
                + ", jwt=" + (jwtKeys.isPresent() ? "JWK set" : jwtSecret.isPresent() ? "HS256 secret" : "generated ES256")
                + ", jwtExp=" + jwtExp + ", issuer=" + issuer()
                + ", timebox=" + timebox.map(Duration::toString).orElse("off")
                + ", inactivityTimeout=" + inactivityTimeout.map(Duration::toString).orElse("off")
                + ", allowLowAal=" + allowLowAal.map(Duration::toString).orElse("off")
                + ", singlePerUser=" + singlePerUser + ", tags=" + tags
                + ", rotation=" + refreshTokenRotation + ", reuseInterval=" + refreshTokenReuseInterval
                + ", allowReuse=" + refreshTokenAllowReuse + ", trustedProxies=" + trustedProxies
                + ", corsOrigins=" + cors.allowedOrigins() + ", corsHeaders=" + cors.extraAllowedHeaders()
                + ", corsAdminRoutes=" + cors.adminRoutes()
                + ", dbPoolSize=" + dbPoolSize + ", cleanupInterval=" + cleanupInterval
                + ", cleanupGrace=" + cleanupGrace
                + ", dbEncryption=" + dbEncryption.map(DbEncryption::toString).orElse("off")
                + ", logFormat=" + logFormat + "]";
    }
}
