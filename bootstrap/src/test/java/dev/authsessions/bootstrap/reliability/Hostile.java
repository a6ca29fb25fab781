package dev.authsessions.bootstrap.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsessions.bootstrap.reliability.RouteTable.Guard;
import dev.authsessions.bootstrap.reliability.RouteTable.Param;
import dev.authsessions.bootstrap.reliability.RouteTable.Ref;
import dev.authsessions.domain.HmacKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A seeded generator of hostile input: refresh tokens, JSON bodies, headers and path segments that
 * are each malformed in a way the service must refuse with a 4xx, and of well-formed ("valid-ish")
 * values to surround them with, so the malformed part is not always the first thing checked. The same
 * seed always gives the same input.
 */
final class Hostile {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String PRINTABLE;
    private static final String[] UNICODE = {"é", "ß", "中文", "😀", "\u202e", "e\u0301", "\ufeff", "\u2028", "\u00a0", "Ω", "🏳️‍🌈",
        "ﷺ", "\uffff", "𝕏"};
    private static final String[] CONTROLS = {"\u0000", "\u0001", "\t", "\n", "\r", "\u007f", "\u001b", "\u0085"};
    private static final String[] SPECIALS = {"\"", "\\", "'", "<", ">", "{", "}", "[", "]", "%", "/", "..", ";", "?", "#", "&",
        "=", "+", "%00", "${jndi:ldap://x}", "'; DROP TABLE auth.sessions; --", "\\u0000", "null"};

    static {
        StringBuilder printable = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            printable.append(c);
        }
        PRINTABLE = printable.toString();
    }

    /** What the generator may use: ids and tokens of rows that exist, and credentials. */
    record Fixture(String adminKey, Map<Ref, List<UUID>> ids, List<LiveSession> sessions, String deadAccessToken,
            String deadRefreshToken, String oauthSecret) {
        LiveSession bearerSession() {
            return sessions.get(0);
        }
    }

    /** A session whose current tokens the test holds; while nothing changes, they stay current. */
    record LiveSession(UUID id, String refreshToken, String accessToken, long counter, HmacKey key) {
    }

    private final Random random;
    private final Fixture fixture;

    Hostile(Random random, Fixture fixture) {
        this.random = random;
        this.fixture = fixture;
    }

    int between(int low, int highInclusive) {
        return low + random.nextInt(highInclusive - low + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    // ---- text

    /** Well-formed text: printable ASCII and unicode, never NUL or other control characters. */
    String text(int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = between(0, maxLength);
        while (text.length() < length) {
            text.append(chance(0.8) ? String.valueOf(PRINTABLE.charAt(random.nextInt(PRINTABLE.length()))) : pick(UNICODE));
        }
        return text.toString();
    }

    /** Anything: printable, unicode, control characters, NULs, quotes, escapes, injection attempts. */
    String garbage(int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = between(0, maxLength);
        while (text.length() < length) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                text.append(PRINTABLE.charAt(random.nextInt(PRINTABLE.length())));
            } else if (kind < 7) {
                text.append(pick(UNICODE));
            } else if (kind < 8) {
                text.append(pick(CONTROLS));
            } else {
                text.append(pick(SPECIALS));
            }
        }
        return text.toString();
    }

    String base64url(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(BASE64URL.charAt(random.nextInt(BASE64URL.length())));
        }
        return text.toString();
    }

    String repeat(int length) {
        return String.valueOf((char) ('a' + random.nextInt(26))).repeat(length);
    }

    // ---- ids

    UUID someId(Ref ref) {
        List<UUID> existing = fixture.ids().getOrDefault(ref, List.of());
        return existing.isEmpty() || chance(0.25) ? UUID.randomUUID() : pick(existing);
    }

    /** Text that is not a canonical UUID, though it may look much like one. */
    String notAUuid() {
        String id = someId(pick(Ref.values())).toString();
        String candidate = switch (random.nextInt(16)) {
            case 0 -> id.replace("-", "");
            case 1 -> "{" + id + "}";
            case 2 -> "urn:uuid:" + id;
            case 3 -> id + pick("x", "0", " ", "\u0000", "\n", "-", "/", "%00");
            case 4 -> id.substring(1);
            case 5 -> id.substring(0, 35) + pick("g", "z", "-", "_", "é");
            case 6 -> "1-1-1-1-1";
            case 7 -> " " + id;
            case 8 -> id.replace('-', '_');
            case 9 -> pick("", "null", "undefined", "0", "-1", "true", "[]", "{}", "NaN");
            case 10 -> id + id;
            case 11 -> "00000000-0000-0000-0000-00000000000";
            case 12 -> garbage(60);
            case 13 -> repeat(between(37, 400));
            case 14 -> id.substring(0, 8) + "-" + id.substring(9, 13) + id.substring(14);
            default -> text(40);
        };
        return isCanonicalUuid(candidate) ? candidate + "x" : candidate;
    }

    static boolean isCanonicalUuid(String text) {
        return CANONICAL_UUID.matcher(text).matches();
    }

    // ---- parameter values

    /** A value the parameter accepts, or at least one of the right shape (a random id may name nothing). */
    JsonNode validValue(Param param) {
        return switch (param.kind()) {
            case TEXT -> NODES.textNode(text(40));
            case ID -> NODES.textNode(someId(param.ref()).toString());
            case ONE_OF -> NODES.textNode(pick(param.values()));
            case OBJECT -> randomObject(3);
            case BOOLEAN -> NODES.booleanNode(random.nextBoolean());
            case INSTANT -> NODES.textNode(pick("2030-01-01T00:00:00Z", "2099-12-31T23:59:59.999999+02:00", "2001-02-03T04:05:06-07:00"));
            case IP -> NODES.textNode(pick("10.1.2.3", "::1", "2001:db8::7", "192.168.0.255"));
            case REFRESH_TOKEN -> NODES.textNode(pick(fixture.sessions()).refreshToken());
            case LIMIT -> NODES.textNode(Integer.toString(between(1, 1000)));
        };
    }

    /** A value the parameter must refuse: the wrong JSON type, or the right type with a malformed content. */
    JsonNode invalidValue(Param param) {
        if (chance(0.3)) {
            return wrongType(param);
        }
        return switch (param.kind()) {
            case TEXT -> NODES.textNode(text(20) + "\u0000" + text(20));
            case ID -> NODES.textNode(notAUuid());
            case ONE_OF -> NODES.textNode(notOneOf(param, true));
            case OBJECT -> pick(
                    objectWith("\u0000 key", NODES.textNode("v")),
                    objectWith("k", NODES.textNode("a\u0000b")),
                    objectWith("deep", objectWith("er", NODES.arrayNode().add("x\u0000"))),
                    objectWith("n", NODES.numberNode(new BigDecimal("1e400"))),
                    objectWith("n", NODES.numberNode(new BigDecimal("-1e999"))));
            case BOOLEAN -> pick(NODES.textNode("true"), NODES.numberNode(1), NODES.numberNode(0), NODES.textNode(""));
            case INSTANT -> NODES.textNode(pick("2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01", "yesterday",
                    "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", "",
                    "2024-01-01T00:00:00Z\u0000", garbage(30) + "!"));
            case IP -> NODES.textNode(pick("999.1.1.1", "1.2.3", "1.2.3.4.5", "::g", "localhost", "1.2.3.4/24", "fe80::1%eth0",
                    "01.2.3.4", "", " 1.2.3.4", garbage(30) + "!"));
            case REFRESH_TOKEN -> NODES.textNode(refreshToken());
            case LIMIT -> NODES.textNode(invalidLimit());
        };
    }

    private JsonNode wrongType(Param param) {
        List<JsonNode> options = new ArrayList<>(List.of(
                NODES.numberNode(between(-5, 5)),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                NODES.numberNode(new BigDecimal("1e400")),
                NODES.booleanNode(random.nextBoolean()),
                NODES.arrayNode().add(validValue(param)),
                randomArray(3)));
        if (param.kind() == RouteTable.Kind.OBJECT) {
            options.add(NODES.textNode(text(20)));
        } else {
            options.add(randomObject(2));
            options.add(objectWith(param.name(), validValue(param)));
        }
        if (param.kind() == RouteTable.Kind.BOOLEAN) {
            options.removeIf(JsonNode::isBoolean);
        }
        return pick(options);
    }

    String notOneOf(Param param, boolean emptyAllowed) {
        String candidate = pick(garbage(20), text(12), pick(param.values()) + "x", "x" + pick(param.values()),
                pick(param.values()) + "\u0000", pick(param.values()).replace("a", "4") + "?", "*", emptyAllowed ? "" : "?");
        return param.values().contains(candidate) || (!emptyAllowed && candidate.isEmpty()) ? candidate + "!" : candidate;
    }

    String invalidLimit() {
        return pick("0", "-1", "1001", "abc", "1.5", "", "99999999999999999999", "1e3", " 5", "0x10", "NaN", "+-1");
    }

    /** The query value as it travels: a valid one (percent-encoded) or, with {@code hostile}, a malformed one. */
    String queryValue(Param param, boolean hostile) {
        String value;
        if (!hostile) {
            value = validValue(param).asText();
        } else {
            value = switch (param.kind()) {
                case ONE_OF -> notOneOf(param, false);
                case ID -> notAUuid();
                case LIMIT -> invalidLimit();
                default -> garbage(40) + "\u0000";
            };
        }
        if (hostile && chance(0.15)) {
            return rawQueryText(value);
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Text sent into the query string without encoding: bytes a client should never send. */
    private String rawQueryText(String value) {
        return value.replace(" ", "%20").replace("#", "%23") + pick("%", "%zz", "%u0000", "\u0001", "é", "");
    }

    // ---- parameters a route that writes cannot read exactly

    /** Names someone might believe a route reads: the other routes' filters, and the usual guesses. */
    private static final List<String> FILTER_GUESSES = List.of("except", "oauth_client_id", "scope", "user_id", "session_id",
            "factor_id", "id", "all", "cascade", "soft", "force", "limit", "cursor", "filter", "only", "keep", "grant_type");

    /**
     * One request's worth of parameters the route cannot read exactly, around well-formed ones, and what the
     * refusal's message must name ({@code "except"} with its quotes, or "no request body").
     *
     * @param query the query string, without the {@code ?}
     * @param body  a body to send instead of the route's usual one, or null
     */
    record Filter(String query, String body, String named) {
    }

    /**
     * A request that a route which writes must refuse and that would, on a server ignoring what it cannot
     * read, do what the rest of the request asks (delete, sign out, write): one of its own parameters empty or
     * repeated, or, where the route refuses names it does not read, a name that is differently cased,
     * misspelt, another route's, or missing; a body with fields on a route that reads none; an unknown field
     * in a JSON body the route reads.
     */
    Filter filterDefect(RouteTable.Route route) {
        List<Param> params = route.query();
        List<String> pairs = new ArrayList<>();
        for (Param param : params) {
            if (chance(0.6)) {
                pairs.add(param.name() + "=" + queryValue(param, false));
            }
        }
        List<Integer> kinds = new ArrayList<>();
        if (!params.isEmpty()) {
            kinds.addAll(List.of(0, 1));
        }
        if (!route.unknownQueryIgnored()) {
            kinds.addAll(List.of(2, 3, 4, 5));
        }
        if (route.refusesABody()) {
            kinds.add(6);
        }
        if (route.body() == RouteTable.BodyKind.JSON) {
            kinds.add(7);
        }
        int kind = pick(kinds);
        String name;
        String defect;
        switch (kind) {
            case 0 -> {
                Param param = pick(params);
                name = param.name();
                defect = pick(name + "=", name);
            }
            case 1 -> {
                Param param = pick(params);
                name = param.name();
                String first = queryValue(param, false);
                defect = name + "=" + first + "&" + name + "=" + pick(first, queryValue(param, false), "");
            }
            case 2 -> {
                name = otherCase(params.isEmpty() ? pick(FILTER_GUESSES) : pick(params).name());
                defect = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + guessValue();
            }
            case 3 -> {
                name = misspelt(params.isEmpty() ? pick(FILTER_GUESSES) : pick(params).name());
                defect = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + guessValue();
            }
            case 4 -> {
                List<String> others = new ArrayList<>(FILTER_GUESSES);
                others.removeIf(guess -> params.stream().anyMatch(p -> p.name().equals(guess)));
                name = pick(others);
                defect = name + "=" + pick(guessValue(), "");
            }
            case 5 -> {
                name = "";
                defect = "=" + guessValue();
            }
            default -> {
                name = null;
                defect = null;
            }
        }
        if (name != null) {
            String bare = name;
            pairs.removeIf(pair -> pair.startsWith(bare + "="));
            pairs.add(between(0, pairs.size()), defect);
        }
        String query = String.join("&", pairs);
        if (kind == 6) {
            String field = pick(FILTER_GUESSES);
            String body = pick("{\"" + field + "\":\"" + guessValue() + "\"}", field + "=" + guessValue(), "[]", "null", "{\"\":1}",
                    "{} {}", "{\"" + field + "\":null}");
            return new Filter(query, body, "no request body");
        }
        if (kind == 7) {
            Param field = pick(route.fields());
            String guess = pick(otherCase(field.name()), misspelt(field.name()), pick(FILTER_GUESSES) + "_");
            String unknown = route.fields().stream().anyMatch(p -> p.name().equals(guess)) ? guess + "x" : guess;
            ObjectNode body = NODES.objectNode();
            body.set(field.name(), validValue(field));
            body.set(unknown, randomValue(1));
            return new Filter(query, body.toString(), quoted(unknown));
        }
        return new Filter(query, null, quoted(name));
    }

    /** A name as a refusal quotes it: in double quotes, anything but printable ASCII (and quotes) as {@code ?}. */
    static String quoted(String name) {
        return "\"" + name.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "?") + "\"";
    }

    /** The name with its case changed somewhere, so it differs from the name. */
    private String otherCase(String name) {
        String changed = switch (random.nextInt(3)) {
            case 0 -> name.toUpperCase(Locale.ROOT);
            case 1 -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
            default -> {
                int at = random.nextInt(name.length());
                yield name.substring(0, at) + Character.toUpperCase(name.charAt(at)) + name.substring(at + 1);
            }
        };
        return changed.equals(name) ? name.toUpperCase(Locale.ROOT) + "X" : changed;
    }

    /** A near miss: a letter dropped, doubled or swapped, a plural, a dash for an underscore, brackets, spaces. */
    private String misspelt(String name) {
        int at = random.nextInt(name.length());
        String candidate = switch (random.nextInt(8)) {
            case 0 -> name.substring(0, at) + name.substring(at + 1);
            case 1 -> name.substring(0, at) + name.charAt(at) + name.substring(at);
            case 2 -> at + 1 < name.length() ? name.substring(0, at) + name.charAt(at + 1) + name.charAt(at) + name.substring(at + 2) : name + "e";
            case 3 -> name + "s";
            case 4 -> name.replace('_', '-') + (name.indexOf('_') < 0 ? "-" : "");
            case 5 -> name + "[]";
            case 6 -> pick(" ", "\t", "\u00a0") + name;
            default -> name + pick(" ", ".", "_", "\u0000", "é");
        };
        return candidate.isEmpty() || candidate.equals(name) ? name + "x" : candidate;
    }

    /** A value an unknown parameter might carry, percent-encoded: an id of a row that exists, a scope, a flag. */
    private String guessValue() {
        String value = switch (random.nextInt(4)) {
            case 0 -> someId(pick(Ref.values())).toString();
            case 1 -> pick("global", "local", "others");
            case 2 -> pick("true", "false", "1", "0");
            default -> text(12);
        };
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- JSON

    ObjectNode randomObject(int depth) {
        ObjectNode object = NODES.objectNode();
        int fields = between(0, 4);
        for (int i = 0; i < fields; i++) {
            object.set(text(12) + i, randomValue(depth - 1));
        }
        return object;
    }

    ArrayNode randomArray(int depth) {
        ArrayNode array = NODES.arrayNode();
        int items = between(0, 4);
        for (int i = 0; i < items; i++) {
            array.add(randomValue(depth - 1));
        }
        return array;
    }

    JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> NODES.textNode(text(30));
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(random.nextDouble() * 1e6);
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.textNode("");
            case 6 -> randomObject(depth);
            default -> randomArray(depth);
        };
    }

    private static ObjectNode objectWith(String name, JsonNode value) {
        ObjectNode object = NODES.objectNode();
        object.set(name, value);
        return object;
    }

    // ---- refresh tokens

    private int tokenCase;

    /**
     * A refresh token the service must refuse without changing anything. Successive calls walk every
     * length from 0 to 80 of random base64url first, then mix the other kinds. Never the current token of
     * a session, nor an earlier one (that would be a reuse, which writes).
     */
    String refreshToken() {
        int n = tokenCase++;
        if (n <= 80) {
            return base64url(n);
        }
        LiveSession session = pick(fixture.sessions());
        byte[] bytes = RefreshTokenForgery.bytesOf(session.refreshToken());
        return switch (random.nextInt(17)) {
            case 0 -> base64url(between(0, 80));
            case 1 -> {
                // Valid bytes with a few flipped bits; the checksum usually catches it.
                int flips = between(1, 3);
                for (int i = 0; i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield RefreshTokenForgery.encode(bytes);
            }
            case 2 -> {
                // A flipped bit in the session id, counter or signature, with the checksum made right: only the HMAC can tell.
                bytes[between(1, bytes.length - RefreshTokenForgery.CHECKSUM_LENGTH - 1)] ^= (byte) (1 << random.nextInt(8));
                yield RefreshTokenForgery.encode(RefreshTokenForgery.withValidChecksum(bytes));
            }
            case 3 -> {
                // Another session's id on this token's counter and signature.
                LiveSession other = pick(fixture.sessions());
                UUID target = other.id().equals(session.id()) ? UUID.randomUUID() : other.id();
                yield RefreshTokenForgery.withSessionId(session.refreshToken(), target);
            }
            // Signed with the session's real key, for a counter not issued yet: "Not Issued By This Server".
            case 4 -> RefreshTokenForgery.signed(session.id(), session.counter() + between(1, 1_000_000), session.key());
            case 5 -> RefreshTokenForgery.signed(session.id(), Long.MAX_VALUE - between(0, 3), session.key());
            // Well-formed, but signed with another key.
            case 6 -> RefreshTokenForgery.signed(session.id(), session.counter(), HmacKey.of(randomBytes(32)));
            case 7 -> fixture.deadRefreshToken();
            case 8 -> pick(session.refreshToken().substring(0, between(0, session.refreshToken().length() - 1)),
                    session.refreshToken() + pick("=", "==", "A", "-", ".", " x", "\u0000"),
                    pick(" ", "\t", "\n", "x") + session.refreshToken(),
                    session.refreshToken().toUpperCase(Locale.ROOT), session.refreshToken().toLowerCase(Locale.ROOT),
                    new StringBuilder(session.refreshToken()).reverse().toString(),
                    Base64.getEncoder().encodeToString(bytes) + "=",
                    session.refreshToken().replace('-', '+').replace('_', '/') + "/+");
            case 9 -> repeat(between(81, 20_000));
            case 10 -> {
                // Version 1, or an over-long varint, each with a valid checksum.
                byte[] forged = bytes.clone();
                if (random.nextBoolean()) {
                    forged[0] = (byte) between(1, 255);
                } else {
                    forged = new byte[46];
                    forged[0] = 0;
                    System.arraycopy(bytes, 1, forged, 1, 16);
                    for (int i = 17; i < 27; i++) {
                        forged[i] = (byte) 0xff;
                    }
                }
                yield RefreshTokenForgery.encode(RefreshTokenForgery.withValidChecksum(forged));
            }
            case 11 -> {
                // Random bytes of a plausible length with a valid checksum: a random session id, found nowhere.
                byte[] forged = randomBytes(between(38, 46));
                forged[0] = 0;
                yield RefreshTokenForgery.encode(RefreshTokenForgery.withValidChecksum(forged));
            }
            case 12 -> garbage(80);
            case 13 -> text(80);
            case 14 -> session.accessToken();
            case 15 -> fixture.adminKey();
            default -> RefreshTokenForgery.encode(randomBytes(between(0, 200)));
        };
    }

    byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- paths

    /** A path segment as it travels (percent-encoded or raw), which is never, once decoded, a canonical UUID. */
    String pathSegment() {
        String segment = switch (random.nextInt(14)) {
            case 0 -> pick("..", ".", "%2e%2e", "%2E%2E%2F", "..%2F..%2F", "%2F", "%5C", "..;", "%252e%252e", ".%00.");
            case 1 -> pick("%00", "a%00b", someId(pick(Ref.values())) + "%00", "%", "%zz", "%u0000", "%C0%AE%C0%AE", "%FF%FE");
            case 2 -> URLEncoder.encode(notAUuid(), StandardCharsets.UTF_8);
            case 3 -> notAUuid().replace(" ", "%20").replace("?", "%3F").replace("#", "%23");
            case 4 -> repeat(between(200, 3_000));
            case 5 -> repeat(between(9_000, 40_000));
            case 6 -> URLEncoder.encode(garbage(50), StandardCharsets.UTF_8);
            case 7 -> garbage(30).replace(" ", "");
            case 8 -> text(20).replace(" ", "");
            case 9 -> "";
            case 10 -> pick("null", "undefined", "0", "-1", "me", "*", "~", "$", "'", "\"");
            case 11 -> "'%20OR%201=1--";
            case 12 -> URLEncoder.encode(text(30), StandardCharsets.UTF_8) + ";x=1";
            default -> base64url(between(1, 60));
        };
        String decoded;
        try {
            decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = segment;
        }
        int semicolon = decoded.indexOf(';');
        String withoutParameters = semicolon < 0 ? decoded : decoded.substring(0, semicolon);
        return isCanonicalUuid(withoutParameters.trim()) ? segment + "x" : segment;
    }

    // ---- headers

    /** An Authorization header value that must not pass the route's guard; null means no header at all. */
    String authorization(Guard guard) {
        String key = fixture.adminKey();
        String access = fixture.bearerSession().accessToken();
        String suffix = text(5) + "x";
        int kind = random.nextInt(guard == Guard.ADMIN ? 16 : 18);
        return switch (kind) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> pick("Bearer", "Bearer ", "bearer", "Bearer null", "Bearer undefined", "Basic", "Negotiate");
            case 3 -> "Bearer " + garbage(60) + "x";
            case 4 -> "Basic " + Base64.getEncoder().encodeToString((garbage(20) + ":" + garbage(20)).getBytes(StandardCharsets.UTF_8));
            case 5 -> key;
            case 6 -> "Bearer " + key + suffix;
            case 7 -> "Bearer " + key.substring(0, between(1, key.length() - 1));
            case 8 -> "Bearer " + key.toUpperCase(Locale.ROOT);
            case 9 -> "Token " + key;
            case 10 -> "Bearer " + key.substring(0, 5) + "\u0000" + key.substring(5);
            case 11 -> "Bearer " + (guard == Guard.ADMIN ? access : key);
            case 12 -> "Bearer " + fixture.deadAccessToken();
            case 13 -> "Bearer " + repeat(between(17_000, 30_000));
            case 14 -> "Bearer " + base64url(20) + "." + base64url(40) + "." + base64url(43);
            case 15 -> "Bearer " + flipInside(access);
            case 16 -> "Bearer " + access.substring(0, access.length() - between(1, 10));
            default -> "Bearer " + access + suffix;
        };
    }

    /** The token with one character changed inside its payload or signature, never the last of a segment (whose low bits may not count). */
    String flipInside(String jwt) {
        int firstDot = jwt.indexOf('.');
        int lastDot = jwt.lastIndexOf('.');
        int at = random.nextBoolean() ? between(firstDot + 1, lastDot - 2) : between(lastDot + 1, jwt.length() - 2);
        char old = jwt.charAt(at);
        char replacement = old == 'A' ? 'B' : 'A';
        return jwt.substring(0, at) + replacement + jwt.substring(at + 1);
    }

    /** Headers nobody should rely on, added at random; returns the request with them. */
    RawHttp.Request noise(RawHttp.Request request) {
        RawHttp.Request noisy = request;
        if (chance(0.4)) {
            noisy = noisy.header("X-Forwarded-For", pick("1.2.3.4, evil", "999.999.999.999", "::1::", "", "unknown",
                    "127.0.0.1\u0000", "1.1.1.1, ".repeat(between(1, 300)), garbage(40), "2001:db8::1", "[::1]:80",
                    "10.0.0.1, 10.0.0.2"));
        }
        if (chance(0.3)) {
            noisy = noisy.header("X-Supabase-Api-Version", pick("2024-01-01", "2023-12-31", "9999-12-31", "2024-13-01", "2024-02-30",
                    "2024-1-1", " 2024-01-01 ", "", "latest", garbage(20), "0000-00-00", "2024-01-01T00:00:00Z"));
        }
        if (chance(0.3)) {
            noisy = noisy.header("User-Agent", pick(garbage(100), text(3000), "", "\u0001\u0002", "curl/8.0"));
        }
        if (chance(0.1)) {
            noisy = noisy.header(pick("X-Real-IP", "Forwarded", "Accept", "Origin", "Cookie", "X-Client-Info", "Accept-Encoding"),
                    garbage(60));
        }
        if (chance(0.05)) {
            noisy = noisy.header("X-Huge", repeat(between(9_000, 70_000)));
        }
        if (chance(0.03)) {
            for (int i = 0; i < 300; i++) {
                noisy = noisy.header("X-Many-" + i, "v");
            }
        }
        if (chance(0.05)) {
            noisy = noisy.header(new byte[] {'X', '-', (byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xc3, (byte) 0x28, 0x7f});
        }
        return noisy;
    }
}
