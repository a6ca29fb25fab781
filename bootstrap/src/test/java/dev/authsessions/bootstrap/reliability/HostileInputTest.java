package dev.authsessions.bootstrap.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsessions.adapters.http.AccessTokenLimits;
import dev.authsessions.adapters.postgres.TestDatabase;
import dev.authsessions.adapters.postgres.TestDatabases;
import dev.authsessions.application.fakes.MutableClock;
import dev.authsessions.bootstrap.reliability.Hostile.LiveSession;
import dev.authsessions.bootstrap.reliability.RouteTable.BodyKind;
import dev.authsessions.bootstrap.reliability.RouteTable.Guard;
import dev.authsessions.bootstrap.reliability.RouteTable.Param;
import dev.authsessions.bootstrap.reliability.RouteTable.Ref;
import dev.authsessions.bootstrap.reliability.RouteTable.Route;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random hostile input against every route of {@link RouteTable}, over raw sockets: malformed
 * refresh tokens, JSON bodies, headers, query and path parameters, each request malformed in at least
 * one way the route must refuse. Every answer must be below 500 (a 4xx unless the route only reads),
 * every error a JSON body in one of the documented shapes with {@code x-sb-error-code}, no answer may
 * echo a token or key, and the database must be exactly as before after every single request.
 *
 * <p>The seed is printed with every failure; rerun with {@code -Dreliability.seed=<seed>}.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class HostileInputTest {
    private static final long SEED = Long.getLong("reliability.seed", 20_260_306L);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The ways one request is malformed; each applies to the routes that have the part it corrupts. */
    enum Dimension {
        AUTH(50), PATH(60), QUERY(50), BODY(120), CONTENT_TYPE(30), TOKEN(260), NOISE(40), FILTER(40);

        final int requests;

        Dimension(int requests) {
            this.requests = requests;
        }

        boolean appliesTo(Route route) {
            return switch (this) {
                case AUTH -> route.guard() != Guard.PUBLIC;
                case PATH -> !route.pathRefs().isEmpty();
                case QUERY -> !route.query().isEmpty();
                case BODY, CONTENT_TYPE -> route.body() != BodyKind.NONE;
                case TOKEN -> route.fields().stream().anyMatch(p -> p.kind() == RouteTable.Kind.REFRESH_TOKEN);
                case NOISE -> route.readOnly();
                // A parameter a route that writes cannot read exactly: empty, repeated, unknown, or a body it does not read.
                case FILTER -> !route.readOnly();
            };
        }
    }

    private static TestDatabase database;
    private static InProcessService service;
    private static AuthTables tables;
    private static Hostile.Fixture fixture;
    private static String baseline;
    private static String baselineFingerprint;
    private static final Map<String, AtomicInteger> STATUSES = new ConcurrentHashMap<>();
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start() {
        database = TestDatabases.fresh();
        service = InProcessService.start(database, new MutableClock());
        tables = new AuthTables(database);
        buildFixture();
    }

    /** Users, sessions (one of an OAuth client), a factor and a signed-out session, all through the API. */
    private static void buildFixture() {
        Client api = service.client();
        UUID alice = api.createUser();
        UUID bob = api.createUser();
        String secret = "reliability-client-secret-0123456789";
        UUID oauthClient = api.createOAuthClient("confidential", secret);
        UUID factor = UUID.randomUUID();
        api.registerFactor(alice, factor, "totp");
        Client.Grant aliceSession = api.startSession(alice);
        Client.Grant bobSession = api.startSession(bob);
        Client.Grant oauthSession = api.startSession(alice, Map.of("oauth_client_id", oauthClient.toString(), "scopes", "openid email"));
        Client.Grant dead = api.startSession(bob);
        assertEquals(204, api.logout(dead.accessToken(), "local").status());

        List<LiveSession> live = new ArrayList<>();
        for (Client.Grant grant : List.of(aliceSession, bobSession, oauthSession)) {
            live.add(new LiveSession(grant.sessionId(), grant.refreshToken(), grant.accessToken(), 0, tables.keyOf(grant.sessionId())));
        }
        Map<Ref, List<UUID>> ids = new EnumMap<>(Ref.class);
        ids.put(Ref.USER, List.of(alice, bob));
        ids.put(Ref.SESSION, List.of(aliceSession.sessionId(), bobSession.sessionId(), oauthSession.sessionId()));
        ids.put(Ref.FACTOR, List.of(factor));
        ids.put(Ref.CLIENT, List.of(oauthClient));
        fixture = new Hostile.Fixture(InProcessService.ADMIN_KEY, ids, live, dead.accessToken(), dead.refreshToken(), secret);
        baseline = tables.snapshot();
        baselineFingerprint = tables.fingerprint();
    }

    /** After a failure that changed the database, the next route starts again from a clean fixture instead of failing too. */
    private static void ensureCleanFixture() {
        if (!tables.fingerprint().equals(baselineFingerprint)) {
            tables.truncateAll();
            buildFixture();
        }
    }

    @AfterAll
    static void stop() {
        System.out.println("HostileInputTest: " + REQUESTS.get() + " requests, answers by status: " + new TreeMap<>(STATUSES));
        if (service != null) {
            service.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesHostileInputWithA4xxJsonErrorAndChangesNothing() {
        return RouteTable.ALL.stream().map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            ensureCleanFixture();
            for (Dimension dimension : Dimension.values()) {
                if (dimension.appliesTo(route)) {
                    long seed = seedOf(route, dimension);
                    Hostile hostile = new Hostile(new Random(seed), fixture);
                    for (int i = 0; i < dimension.requests; i++) {
                        Hostile.Filter filter = dimension == Dimension.FILTER ? hostile.filterDefect(route) : null;
                        RawHttp.Request request = build(route, dimension, hostile, filter);
                        String where = route + " / " + dimension + " #" + i + " [seed " + SEED + " -> " + seed
                                + "; rerun with -Dreliability.seed=" + SEED + "]";
                        RawHttp.Response response = RawHttp.exchange(service.port(), request);
                        check(route, dimension, request, response, where);
                        if (filter != null) {
                            checkFilterRefusal(filter, response, where + "\n  request: " + request.describe());
                        }
                    }
                }
            }
        }));
    }

    /**
     * Every route that writes, with each parameter it cannot read exactly, one at a time, on rows that exist
     * and otherwise well-formed and authorised: a server that ignored the parameter would delete, sign out or
     * write. Each must be a 400 {@code validation_failed} naming the parameter, with the database exactly as before.
     */
    @TestFactory
    Stream<DynamicTest> everyRouteThatWritesRefusesEachParameterItCannotReadExactlyAndChangesNothing() {
        return RouteTable.ALL.stream().filter(route -> !route.readOnly()).map(route -> DynamicTest.dynamicTest(route.toString(), () -> {
            ensureCleanFixture();
            List<Hostile.Filter> cases = exactFilterCases(route);
            assertTrue(!cases.isEmpty(), route + " has cases");
            for (Hostile.Filter filter : cases) {
                String path = route.path(route.pathRefs().stream().map(ref -> firstId(ref).toString()).toList());
                RawHttp.Request request = authorised(RawHttp.Request.of(route.method(),
                        path + (filter.query().isEmpty() ? "" : "?" + filter.query())), route);
                String body = filter.body() != null ? filter.body() : wellFormedBody(route);
                if (body != null) {
                    request = request.header("Content-Type", "application/json").body(body);
                }
                String where = route + " with ?" + filter.query() + (filter.body() == null ? "" : " and the body " + filter.body());
                RawHttp.Response response = RawHttp.exchange(service.port(), request);
                check(route, Dimension.FILTER, request, response, where);
                checkFilterRefusal(filter, response, where);
            }
        }));
    }

    /**
     * A header some frameworks route by, on every route: a well-formed, authorised request on Alice's rows whose
     * {@code X-HTTP-Method-Override} names another method (a read that would delete) is refused and changes nothing.
     */
    @Test
    void aMethodOverrideHeaderIsRefusedOnEveryRouteAndChangesNothing() {
        ensureCleanFixture();
        for (Route route : RouteTable.ALL) {
            for (String override : List.of("DELETE", "delete", "PUT", "POST", "GET", route.method())) {
                String path = route.path(route.pathRefs().stream().map(ref -> firstId(ref).toString()).toList());
                RawHttp.Request request = authorised(RawHttp.Request.of(route.method(), path), route)
                        .header("X-HTTP-Method-Override", override);
                String body = wellFormedBody(route);
                if (body != null) {
                    request = request.header("Content-Type", "application/json").body(body);
                }
                String where = route + " with X-HTTP-Method-Override: " + override;
                RawHttp.Response response = RawHttp.exchange(service.port(), request);
                check(route, Dimension.AUTH, request, response, where);
                checkFilterRefusal(new Hostile.Filter("", null, "X-HTTP-Method-Override"), response, where);
            }
        }
    }

    /** Each parameter of the route empty, bare, repeated; where unknown names are refused, cased, misspelt, another's. */
    private static List<Hostile.Filter> exactFilterCases(Route route) {
        List<Hostile.Filter> cases = new ArrayList<>();
        List<String> valid = route.query().stream().map(p -> p.name() + "=" + firstValue(p)).toList();
        for (Param param : route.query()) {
            String name = param.name();
            String value = firstValue(param);
            String others = String.join("&", valid.stream().filter(pair -> !pair.startsWith(name + "=")).toList());
            List<String> defects = new ArrayList<>(List.of(name + "=", name, name + "=" + value + "&" + name + "=" + value,
                    name + "=" + value + "&" + name + "="));
            if (!route.unknownQueryIgnored()) {
                defects.addAll(List.of(Character.toUpperCase(name.charAt(0)) + name.substring(1) + "=" + value,
                        name.toUpperCase(java.util.Locale.ROOT) + "=" + value, name.substring(0, name.length() - 1) + "=" + value,
                        URLEncoder.encode(name + "[]", StandardCharsets.UTF_8) + "=" + value));
            }
            for (String defect : defects) {
                String defectName = java.net.URLDecoder.decode(defect.split("=", 2)[0], StandardCharsets.UTF_8);
                cases.add(new Hostile.Filter(others.isEmpty() ? defect : others + "&" + defect, null, Hostile.quoted(defectName)));
            }
        }
        if (!route.unknownQueryIgnored()) {
            String all = String.join("&", valid);
            for (String guess : List.of("except", "Except", "oauth_client_id", "scope", "Scope", "id", "soft", "")) {
                if (route.query().stream().noneMatch(p -> p.name().equals(guess))) {
                    String pair = guess + "=" + firstId(Ref.SESSION);
                    cases.add(new Hostile.Filter(all.isEmpty() ? pair : all + "&" + pair, null, Hostile.quoted(guess)));
                }
            }
        }
        String query = String.join("&", valid);
        if (route.refusesABody()) {
            cases.add(new Hostile.Filter(query, "{\"except\":\"" + firstId(Ref.SESSION) + "\"}", "no request body"));
            cases.add(new Hostile.Filter(query, "{\"scope\":\"local\"}", "no request body"));
        }
        if (route.body() == BodyKind.JSON) {
            ObjectNode wellFormed = (ObjectNode) readJson(wellFormedBody(route));
            String field = wellFormed.fieldNames().next();
            for (String unknown : List.of(Character.toUpperCase(field.charAt(0)) + field.substring(1), field + "s", "keep_others")) {
                ObjectNode body = wellFormed.deepCopy();
                body.put(unknown, "x");
                cases.add(new Hostile.Filter(query, body.toString(), Hostile.quoted(unknown)));
            }
        }
        return cases;
    }

    /** The fixture's first row of each kind: Alice, her first session (the Bearer's), her factor, the OAuth client. */
    private static UUID firstId(Ref ref) {
        return fixture.ids().get(ref).get(0);
    }

    private static String firstValue(Param param) {
        return switch (param.kind()) {
            case ID -> firstId(param.ref()).toString();
            case ONE_OF -> param.values().get(0);
            case LIMIT -> "5";
            default -> "x";
        };
    }

    /** A body each route that reads one would act on, over the fixture's rows; null for a route without a body. */
    private static String wellFormedBody(Route route) {
        if (route.body() == BodyKind.NONE) {
            return null;
        }
        ObjectNode body = NODES.objectNode();
        switch (route.template()) {
            case "/token" -> body.put("refresh_token", fixture.bearerSession().refreshToken());
            case "/admin/users/{user}" -> body.put("email", "renamed@example.com");
            case "/admin/sessions" -> body.put("user_id", firstId(Ref.USER).toString()).put("authentication_method", "password");
            case "/admin/sessions/{session}/mfa" -> body.put("factor_id", firstId(Ref.FACTOR).toString()).put("method", "totp");
            case "/admin/users/{user}/factors/{factor}" -> body.put("factor_type", "totp");
            case "/admin/oauth-clients/{client}" -> body.put("client_name", "renamed").put("client_type", "confidential")
                    .put("client_secret", fixture.oauthSecret());
            default -> fail("add a well-formed body for " + route);
        }
        return body.toString();
    }

    private static JsonNode readJson(String text) {
        try {
            return Client.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static long seedOf(Route route, Dimension dimension) {
        return SEED * 0x9E3779B97F4A7C15L + (route + "|" + dimension).hashCode();
    }

    // ---- building requests

    /** @param filter for {@link Dimension#FILTER}: the query (and body) to send instead of generated ones */
    private static RawHttp.Request build(Route route, Dimension dimension, Hostile hostile, Hostile.Filter filter) {
        List<Ref> refs = route.pathRefs();
        int hostileSegment = dimension == Dimension.PATH ? hostile.between(0, refs.size() - 1) : -1;
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            segments.add(i == hostileSegment ? hostile.pathSegment() : hostile.someId(refs.get(i)).toString());
        }
        StringBuilder target = new StringBuilder(route.path(segments));
        if (filter != null) {
            return withFilter(route, target, filter, hostile);
        }
        List<Param> query = route.query();
        int hostileQuery = dimension == Dimension.QUERY ? hostile.between(0, query.size() - 1) : -1;
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < query.size(); i++) {
            Param param = query.get(i);
            if (i == hostileQuery) {
                pairs.add(param.name() + "=" + hostile.queryValue(param, true));
                if (hostile.chance(0.2)) {
                    // A valid value after the malformed one: a repeated parameter is refused whatever its values.
                    pairs.add(param.name() + "=" + hostile.queryValue(param, false));
                }
            } else {
                pairs.add(param.name() + "=" + hostile.queryValue(param, false));
            }
        }
        if (hostile.chance(0.1)) {
            pairs.add(URLEncoder.encode(hostile.garbage(10), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(hostile.garbage(10),
                    StandardCharsets.UTF_8));
        }
        if (!pairs.isEmpty()) {
            target.append('?').append(String.join("&", pairs));
        }

        RawHttp.Request request = RawHttp.Request.of(route.method(), target.toString());
        String authorization = switch (route.guard()) {
            case ADMIN -> "Bearer " + fixture.adminKey();
            case BEARER -> "Bearer " + fixture.bearerSession().accessToken();
            case PUBLIC -> null;
        };
        if (dimension == Dimension.AUTH) {
            authorization = hostile.authorization(route.guard());
        }
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        if (route.body() != BodyKind.NONE) {
            Body body = switch (dimension) {
                case BODY -> hostileBody(route, hostile);
                case CONTENT_TYPE -> new Body(form(validObject(route, hostile, true)), pickWrongContentType(route, hostile));
                case TOKEN -> tokenBody(route, hostile);
                default -> new Body(json(validObject(route, hostile, false)), "application/json");
            };
            if (body.contentType() != null) {
                request = request.header("Content-Type", body.contentType());
            }
            request = request.body(body.bytes());
        }
        return hostile.noise(request);
    }

    /**
     * A request otherwise well-formed and authorised, on rows the fixture holds (mostly), carrying the
     * filter's parameters: a server that ignored what it cannot read would carry it out.
     */
    private static RawHttp.Request withFilter(Route route, StringBuilder target, Hostile.Filter filter, Hostile hostile) {
        if (!filter.query().isEmpty()) {
            target.append('?').append(filter.query());
        }
        RawHttp.Request request = authorised(RawHttp.Request.of(route.method(), target.toString()), route);
        if (filter.body() != null) {
            return request.header("Content-Type", "application/json").body(filter.body());
        }
        if (route.body() != BodyKind.NONE) {
            ObjectNode object = validObject(route, hostile, false);
            return request.header("Content-Type", "application/json").body(json(object));
        }
        return request;
    }

    private static RawHttp.Request authorised(RawHttp.Request request, Route route) {
        return switch (route.guard()) {
            case ADMIN -> request.header("Authorization", "Bearer " + fixture.adminKey());
            case BEARER -> request.header("Authorization", "Bearer " + fixture.bearerSession().accessToken());
            case PUBLIC -> request;
        };
    }

    private record Body(byte[] bytes, String contentType) {
        Body(String text, String contentType) {
            this(text.getBytes(StandardCharsets.UTF_8), contentType);
        }
    }

    private static ObjectNode validObject(Route route, Hostile hostile, boolean nonEmpty) {
        ObjectNode object = NODES.objectNode();
        for (Param param : route.fields()) {
            if (hostile.chance(0.7)) {
                object.set(param.name(), hostile.validValue(param));
            }
        }
        if (nonEmpty && object.isEmpty()) {
            object.put("unknown", hostile.text(10));
        }
        return object;
    }

    private static String json(JsonNode node) {
        return node.toString();
    }

    /**
     * The fields as a form. A body is JSON whatever its Content-Type says (as in GoTrue), so what a
     * wrong Content-Type must never do is make a route read a form it does not take as one.
     */
    private static String form(ObjectNode object) {
        List<String> pairs = new ArrayList<>();
        object.fields().forEachRemaining(field -> pairs.add(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(field.getValue().isTextual() ? field.getValue().textValue() : field.getValue().toString(),
                        StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static String pickWrongContentType(Route route, Hostile hostile) {
        List<String> types = new ArrayList<>(List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/json-patch+json", "application/jsonx", "json", "", "*/*", "application/javascript", "text/json",
                "application/ json", "application/json+x", hostile.garbage(20) + "x", "application/x-www-form-urlencoded"));
        if (route.body() == BodyKind.JSON_OR_FORM) {
            types.remove("application/x-www-form-urlencoded");
        }
        types.add(null);
        String type = hostile.pick(types);
        return type != null && type.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
                && (type.trim().length() == 16 || type.trim().charAt(16) == ';') ? "text/plain" : type;
    }

    private static Body tokenBody(Route route, Hostile hostile) {
        ObjectNode object = validObject(route, hostile, false);
        object.remove("client_id");
        object.remove("client_secret");
        String token = hostile.refreshToken();
        if (route.body() == BodyKind.JSON_OR_FORM && hostile.chance(0.25)) {
            return new Body("refresh_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        }
        object.put("refresh_token", token);
        return new Body(json(object), "application/json");
    }

    /** A body malformed in one of many ways; the route must refuse it whatever else the request holds. */
    private static Body hostileBody(Route route, Hostile hostile) {
        String type = "application/json";
        List<Param> fields = route.fields();
        Param field = hostile.pick(fields);
        int kind = hostile.between(0, route.body() == BodyKind.JSON_OR_FORM ? 14 : 13);
        return switch (kind) {
            case 0, 1, 2, 3 -> {
                // Wrong types and malformed values for one or more known fields, around well-formed others.
                ObjectNode object = validObject(route, hostile, false);
                int broken = hostile.between(1, Math.min(3, fields.size()));
                for (int i = 0; i < broken; i++) {
                    Param p = hostile.pick(fields);
                    object.set(p.name(), hostile.invalidValue(p));
                }
                if (hostile.chance(0.3)) {
                    object.set(hostile.garbage(12), hostile.randomValue(3));
                }
                yield new Body(json(object), type);
            }
            case 4 -> {
                // A duplicate key, even with two well-formed values, makes the body mean two things.
                ObjectNode object = validObject(route, hostile, false);
                object.set(field.name(), hostile.validValue(field));
                String text = json(object);
                yield new Body("{\"" + field.name() + "\":" + json(hostile.validValue(field)) + "," + text.substring(1), type);
            }
            case 5 -> new Body(json(validObject(route, hostile, false))
                    + hostile.pick("}", "x", "{}", "[]", ",", "\u0000", "//", "]", "\"", "null", " 1", "\u0001", hostile.garbage(10) + "x"), type);
            case 6 -> {
                String text = json(validObject(route, hostile, true));
                yield new Body(text.substring(0, hostile.between(1, text.length() - 1)), type);
            }
            case 7 -> new Body(json(hostile.pick(hostile.randomArray(3), NODES.textNode(hostile.text(20)),
                    NODES.numberNode(hostile.between(-9, 9)), NODES.booleanNode(true), NODES.nullNode())), type);
            case 8 -> hostile.chance(0.5)
                    ? new Body(hostile.randomBytes(hostile.between(1, 300)), type)
                    : new Body(hostile.pick("<xml/>", "refresh_token=abc", "undefined", "{'a':1}", hostile.garbage(60) + "x",
                            "\ufeff{", "--boundary\r\n"), type);
            case 9 -> {
                int depth = hostile.between(1_500, 30_000);
                yield hostile.chance(0.5)
                        ? new Body("{\"" + field.name() + "\":" + "[".repeat(depth) + "]".repeat(depth) + "}", type)
                        : new Body("{\"a\":".repeat(depth) + "1" + "}".repeat(depth), type);
            }
            case 10 -> new Body(bytes("{\"" + field.name() + "\":\"x", hostile.pick(new byte[] {0}, new byte[] {1}, new byte[] {0x1f},
                    new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xff}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "y\"}"), type);
            case 11 -> {
                ObjectNode object = validObject(route, hostile, false);
                object.put(hostile.chance(0.5) ? field.name() : "padding", "a".repeat(hostile.between(66_000, 300_000)));
                yield new Body(json(object), type);
            }
            case 12 -> new Body(hostile.pick("{/*c*/}", "{'" + field.name() + "':'x'}", "{" + field.name() + ": 1}", "{\"a\": NaN}",
                    "{\"a\": Infinity}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":\"\\x41\"}",
                    "{\"a\":\"\\u00\"}", "{\"" + field.name() + "\":\"" + "\\ud800" + "\"}x"), type);
            case 13 -> {
                // Unicode and NUL in keys, and one broken known field.
                ObjectNode object = validObject(route, hostile, false);
                object.put("\u0000", "x");
                object.put("😀" + hostile.text(5), hostile.text(5));
                object.set(field.name(), hostile.invalidValue(field));
                yield new Body(json(object), type);
            }
            default -> hostileForm(route, hostile);
        };
    }

    /** A form body (for the routes that take one), malformed: repeated fields, bad escapes, malformed values. */
    private static Body hostileForm(Route route, Hostile hostile) {
        List<String> pairs = new ArrayList<>();
        for (Param param : route.fields()) {
            if (param.kind() == RouteTable.Kind.REFRESH_TOKEN || hostile.chance(0.5)) {
                pairs.add(param.name() + "=" + URLEncoder.encode(hostile.validValue(param).asText(), StandardCharsets.UTF_8));
            }
        }
        Param field = hostile.pick(route.fields());
        switch (hostile.between(0, 2)) {
            case 0 -> pairs.add(field.name() + "=" + URLEncoder.encode(hostile.validValue(field).asText(), StandardCharsets.UTF_8));
            case 1 -> pairs.add(field.name() + "=%zz" + hostile.pick("", "%", "%1", "%u0041"));
            default -> {
                pairs.removeIf(p -> p.startsWith(field.name() + "="));
                pairs.add(field.name() + "=" + URLEncoder.encode(hostile.invalidValue(field).isTextual()
                        ? hostile.invalidValue(field).asText() + "\u0000" : "x\u0000", StandardCharsets.UTF_8));
            }
        }
        return new Body(String.join("&", pairs), "application/x-www-form-urlencoded");
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    // ---- checking answers

    /** A filter is refused as such: 400 {@code validation_failed}, the message naming what could not be read. */
    private static void checkFilterRefusal(Hostile.Filter filter, RawHttp.Response response, String context) {
        String where = context + "\n  answer: " + response;
        assertEquals(400, response.status(), () -> "a parameter the route cannot read exactly: " + where);
        JsonNode body;
        try {
            body = Client.JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + where, e);
        }
        assertEquals("validation_failed", body.path("error_code").asText(), () -> where);
        assertTrue(body.path("msg").asText().contains(filter.named()), () -> "the message names " + filter.named() + ": " + where);
    }

    private static void check(Route route, Dimension dimension, RawHttp.Request request, RawHttp.Response response, String where) {
        REQUESTS.incrementAndGet();
        STATUSES.computeIfAbsent(Integer.toString(response.status()), k -> new AtomicInteger()).incrementAndGet();
        String context = where + "\n  request: " + request.describe() + "\n  answer: " + response;
        int status = response.status();
        if (status == 0) {
            fail("no HTTP answer: " + context);
        }
        if (status >= 500) {
            fail("a server error: " + context);
        }
        boolean mayPass = route.readOnly() && dimension != Dimension.AUTH;
        if (!mayPass && (status < 400 || status >= 500)) {
            fail("hostile input was not refused: " + context);
        }
        if (status >= 400) {
            checkErrorBody(request, response, context);
        }
        assertNoSecrets(response.text(), request, context);
        String fingerprint = tables.fingerprint();
        if (!fingerprint.equals(baselineFingerprint)) {
            fail("the database changed: " + context + "\n  difference:\n" + AuthTables.difference(baseline, tables.snapshot()));
        }
    }

    /** One of SPEC §6's shapes, with {@code x-sb-error-code} naming the same code. */
    static void checkErrorBody(RawHttp.Request request, RawHttp.Response response, String context) {
        JsonNode body;
        try {
            body = Client.JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("the error body is not JSON: " + context, e);
        }
        assertTrue(body != null && body.isObject(), () -> "the error body is not a JSON object: " + context);
        String code;
        if (body.path("error_code").isTextual()) {
            assertEquals(response.status(), body.path("code").asInt(), () -> "code is the HTTP status: " + context);
            assertTrue(body.path("msg").isTextual(), () -> "msg: " + context);
            code = body.path("error_code").asText();
        } else if (body.path("code").isTextual()) {
            assertTrue(body.path("message").isTextual(), () -> "message: " + context);
            assertTrue(datedApi(request.headerValue("X-Supabase-Api-Version")),
                    () -> "the dated error shape without a dated X-Supabase-Api-Version: " + context);
            code = body.path("code").asText();
        } else {
            assertTrue(body.path("error").isTextual() && body.path("error_description").isTextual(),
                    () -> "an error body in none of the documented shapes: " + context);
            code = body.path("error").asText();
        }
        assertTrue(!code.isEmpty() && code.matches("[a-z_]+"), () -> "error code: " + context);
        assertEquals(code, response.header("x-sb-error-code"), () -> "x-sb-error-code: " + context);
    }

    private static boolean datedApi(String requested) {
        if (requested == null || !requested.trim().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            return false;
        }
        try {
            return !LocalDate.parse(requested.trim()).isBefore(LocalDate.parse("2024-01-01"));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void assertNoSecrets(String body, RawHttp.Request request, String context) {
        List<String> secrets = new ArrayList<>(List.of(fixture.adminKey(), fixture.deadRefreshToken(), fixture.oauthSecret()));
        for (LiveSession session : fixture.sessions()) {
            secrets.add(session.refreshToken());
            secrets.add(session.accessToken());
        }
        String sentToken = bodyToken(request);
        if (sentToken != null && sentToken.length() >= 16) {
            secrets.add(sentToken);
        }
        String authorization = request.headerValue("Authorization");
        if (authorization != null && authorization.length() >= 24) {
            secrets.add(authorization.substring(authorization.length() - 16));
        }
        for (String secret : secrets) {
            if (body.contains(secret)) {
                fail("an answer echoes a token, key or secret: " + context);
            }
        }
    }

    private static String bodyToken(RawHttp.Request request) {
        try {
            JsonNode body = Client.JSON.readTree(request.body());
            return body != null && body.path("refresh_token").isTextual() ? body.path("refresh_token").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    // ---- regressions this suite found

    @Test
    void aQueryValueThatIsNotValidPercentEncodingIsRefusedAndNeverWidensALogout() {
        ensureCleanFixture();
        Client api = service.client();
        UUID user = api.createUser();
        Client.Grant one = api.startSession(user);
        Client.Grant other = api.startSession(user);
        for (String query : List.of("scope=%zz", "scope=local%", "scope=*%&scope=global", "scope=%E0%A4%A")) {
            RawHttp.Response response = RawHttp.exchange(service.port(), RawHttp.Request.of("POST", "/logout?" + query)
                    .header("Authorization", "Bearer " + one.accessToken()));
            assertEquals(400, response.status(), () -> query + ": " + response);
            checkErrorBody(RawHttp.Request.of("POST", "/"), response, query);
            assertEquals(List.of(one.sessionId(), other.sessionId()).stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList(),
                    tables.sessionsOf(user), () -> query + " ended sessions");
        }
    }

    @Test
    void requestsJettyRefusesGetTheJsonErrorWhateverTheirMethodAndAnUnknownVersionIsA4xx() {
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
            RawHttp.Response tooLarge = RawHttp.exchange(service.port(), RawHttp.Request.of(method, "/admin/users/" + UUID.randomUUID())
                    .header("X-Big", "b".repeat(AccessTokenLimits.REQUEST_HEADER_BYTES + 1)));
            assertEquals(431, tooLarge.status(), () -> method + ": " + tooLarge);
            checkErrorBody(RawHttp.Request.of(method, "/"), tooLarge, method + " with a huge header");

            byte[] raw = (method + " /health HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            RawHttp.Response version = RawHttp.exchange(service.port(), raw, method + " HTTP/9.9");
            assertEquals(400, version.status(), () -> method + ": " + version);
            checkErrorBody(RawHttp.Request.of(method, "/"), version, method + " HTTP/9.9");
        }
    }

    // ---- malformed HTTP

    @Test
    void malformedHttpOnEveryRouteIsRefusedWithAJsonErrorAndChangesNothing() {
        ensureCleanFixture();
        int answered = 0;
        for (Route route : RouteTable.ALL) {
            String path = route.path(route.pathRefs().stream().map(r -> UUID.randomUUID().toString()).toList());
            String body = route.body() == BodyKind.NONE ? "" : "{\"refresh_token\":\"not-a-token\"}";
            for (String[] broken : malformedRequests(route.method(), path, body)) {
                String where = route + " / " + broken[0];
                byte[] raw = broken[1].getBytes(StandardCharsets.ISO_8859_1);
                RawHttp.Response response = RawHttp.exchange(service.port(), raw, where + ": " + RawHttp.printable(raw, 300));
                REQUESTS.incrementAndGet();
                STATUSES.computeIfAbsent(Integer.toString(response.status()), k -> new AtomicInteger()).incrementAndGet();
                String context = where + "\n  request: " + RawHttp.printable(raw, 300) + "\n  answer: " + response;
                assertTrue(response.status() > 0, () -> "no HTTP answer: " + context);
                assertTrue(response.status() < 500, () -> "a server error: " + context);
                if (response.status() >= 400) {
                    checkErrorBody(RawHttp.Request.of("GET", "/"), response, context);
                } else {
                    assertTrue(route.readOnly(), () -> "malformed HTTP was accepted: " + context);
                }
                assertEquals(baselineFingerprint, tables.fingerprint(), () -> "the database changed: " + context);
                answered++;
            }
        }
        assertTrue(answered > RouteTable.ALL.size() * 10);
    }

    /** {name, raw request} pairs; none carries credentials, so none may change anything whatever the server makes of it. */
    private static List<String[]> malformedRequests(String method, String path, String body) {
        String json = "Content-Type: application/json\r\n";
        String length = "Content-Length: " + body.length() + "\r\n";
        String host = "Host: 127.0.0.1\r\n";
        String close = "Connection: close\r\n";
        List<String[]> all = new ArrayList<>();
        all.add(new String[] {"lower-case method", method.toLowerCase(java.util.Locale.ROOT) + " " + path + " HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"NUL in method", method.charAt(0) + "\u0000" + method.substring(1) + " " + path + " HTTP/1.1\r\n" + host + close + "\r\n"});
        all.add(new String[] {"unknown method", "BREW " + path + " HTTP/1.1\r\n" + host + close + "\r\n"});
        all.add(new String[] {"space in target", method + " " + path + "/a b HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"control byte in target", method + " " + path + "\u0001\u007f HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"high bytes in target", method + " " + path + "\u00ff\u00fe HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"HTTP/9.9", method + " " + path + " HTTP/9.9\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"HTTP/1.1x", method + " " + path + " HTTP/1.1x\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"no version", method + " " + path + "\r\n" + host + close + "\r\n"});
        all.add(new String[] {"absolute-form target", method + " http://evil.example" + path + " HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"asterisk target", method + " * HTTP/1.1\r\n" + host + close + json + length + "\r\n" + body});
        all.add(new String[] {"no Host", method + " " + path + " HTTP/1.1\r\n" + close + json + length + "\r\n" + body});
        all.add(new String[] {"two Hosts", method + " " + path + " HTTP/1.1\r\n" + host + "Host: evil.example\r\n" + close + json + length + "\r\n" + body});
        all.add(new String[] {"negative Content-Length", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Content-Length: -1\r\n\r\n" + body});
        all.add(new String[] {"non-numeric Content-Length", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Content-Length: abc\r\n\r\n" + body});
        all.add(new String[] {"huge Content-Length", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Content-Length: 99999999999999999999\r\n\r\n" + body});
        all.add(new String[] {"Content-Length beyond the body", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Content-Length: " + (body.length() + 50) + "\r\n\r\n" + body});
        all.add(new String[] {"two Content-Lengths", method + " " + path + " HTTP/1.1\r\n" + host + close + json + length + "Content-Length: 3\r\n\r\n" + body});
        all.add(new String[] {"bad chunk size", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n"});
        all.add(new String[] {"chunked and Content-Length", method + " " + path + " HTTP/1.1\r\n" + host + close + json + length + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"});
        all.add(new String[] {"unknown Transfer-Encoding", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Transfer-Encoding: gzip, rot13\r\n\r\n" + body});
        all.add(new String[] {"header without colon", method + " " + path + " HTTP/1.1\r\n" + host + close + "Garbage header line\r\n" + json + length + "\r\n" + body});
        all.add(new String[] {"space before colon", method + " " + path + " HTTP/1.1\r\n" + host + close + "Authorization : Bearer x\r\n" + json + length + "\r\n" + body});
        all.add(new String[] {"folded header", method + " " + path + " HTTP/1.1\r\n" + host + close + "X-Folded: a\r\n b\r\n" + json + length + "\r\n" + body});
        all.add(new String[] {"NUL in header", method + " " + path + " HTTP/1.1\r\n" + host + close + "X-Nul: a\u0000b\r\n" + json + length + "\r\n" + body});
        all.add(new String[] {"bare LF line ends", method + " " + path + " HTTP/1.1\n" + host.replace("\r", "") + close.replace("\r", "") + "\n"});
        all.add(new String[] {"huge header", method + " " + path + " HTTP/1.1\r\n" + host + close + "X-Big: " + "b".repeat(AccessTokenLimits.REQUEST_HEADER_BYTES + 1) + "\r\n" + json + length + "\r\n" + body});
        all.add(new String[] {"huge target", method + " " + path + "/" + "p".repeat(AccessTokenLimits.REQUEST_HEADER_BYTES + 1) + " HTTP/1.1\r\n" + host + close + "\r\n"});
        all.add(new String[] {"gzip body that is not gzip", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Content-Encoding: gzip\r\n" + length + "\r\n" + body});
        all.add(new String[] {"Expect: nonsense", method + " " + path + " HTTP/1.1\r\n" + host + close + json + "Expect: 42-continue\r\n" + length + "\r\n" + body});
        all.add(new String[] {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"});
        all.add(new String[] {"TLS hello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003"});
        return all;
    }
}
