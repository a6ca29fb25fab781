package dev.authsessions.bootstrap.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every HTTP route of the service, as the reliability tests see it: one line per route, with who may
 * call it, the ids in its path, its query parameters and its body fields. The hostile-input and
 * security tests walk this table, and {@code RouteTableTest} fails when a route is registered in
 * {@code adapters-http} but missing here, so a new route is covered by adding its line.
 *
 * <p>Path placeholders name what the id refers to: {@code {user}}, {@code {session}}, {@code {factor}},
 * {@code {client}}.
 */
final class RouteTable {
    private static final List<String> SECOND_FACTORS = List.of("totp", "mfa/phone", "mfa/webauthn");
    private static final List<String> METHODS = List.of("password", "otp", "oauth", "totp", "mfa/phone", "mfa/webauthn",
            "sso/saml", "recovery", "invite", "magiclink", "email/signup", "email_change", "anonymous", "web3", "passkey");

    static final List<Route> ALL;

    static {
        List<Route> routes = new ArrayList<>();
        routes.add(post("/token", Guard.PUBLIC).query(oneOf("grant_type", "refresh_token")).ignoringUnknownQuery()
                .jsonOrForm(refreshToken("refresh_token"), id("client_id", Ref.CLIENT), text("client_secret")));
        routes.add(post("/logout", Guard.BEARER).query(oneOf("scope", "global", "local", "others")));
        routes.add(get("/user", Guard.BEARER));
        routes.add(get("/.well-known/jwks.json", Guard.PUBLIC));
        routes.add(get("/health", Guard.PUBLIC));
        routes.add(put("/admin/users/{user}", Guard.ADMIN).json(text("aud"), text("role"), text("email"), text("phone"),
                object("app_metadata"), object("user_metadata"), bool("is_anonymous"), instant("banned_until")));
        routes.add(delete("/admin/users/{user}", Guard.ADMIN));
        routes.add(post("/admin/sessions", Guard.ADMIN).json(id("user_id", Ref.USER), oneOf("authentication_method", METHODS),
                oneOf("aal", "aal1", "aal2", "aal3"), id("factor_id", Ref.FACTOR), instant("not_after"), text("user_agent"),
                ip("ip"), text("tag"), id("oauth_client_id", Ref.CLIENT), text("scopes")));
        routes.add(post("/admin/sessions/{session}/mfa", Guard.ADMIN).json(id("factor_id", Ref.FACTOR), oneOf("method", SECOND_FACTORS)));
        routes.add(put("/admin/users/{user}/factors/{factor}", Guard.ADMIN).json(oneOf("factor_type", "totp", "phone", "webauthn")));
        routes.add(delete("/admin/users/{user}/factors/{factor}", Guard.ADMIN));
        routes.add(put("/admin/oauth-clients/{client}", Guard.ADMIN).json(text("client_name"),
                oneOf("client_type", "public", "confidential"), text("client_secret")));
        routes.add(delete("/admin/oauth-clients/{client}", Guard.ADMIN));
        routes.add(get("/sessions", Guard.BEARER).query(limit("limit"), text("cursor")));
        routes.add(delete("/sessions/{session}", Guard.BEARER));
        routes.add(get("/admin/sessions/{session}", Guard.ADMIN));
        routes.add(get("/admin/users/{user}/sessions", Guard.ADMIN).query(limit("limit"), text("cursor")));
        routes.add(delete("/admin/sessions/{session}", Guard.ADMIN));
        routes.add(delete("/admin/users/{user}/sessions", Guard.ADMIN).query(id("oauth_client_id", Ref.CLIENT), id("except", Ref.SESSION)));
        routes.add(get("/openapi.json", Guard.PUBLIC));
        routes.add(get("/ready", Guard.PUBLIC));
        routes.add(get("/metrics", Guard.PUBLIC));
        ALL = List.copyOf(routes);
    }

    private RouteTable() {
    }

    /** Who may call a route. */
    enum Guard { PUBLIC, BEARER, ADMIN }

    /** What an id in a path, query or body refers to. */
    enum Ref { USER, SESSION, FACTOR, CLIENT }

    /** The kind of a parameter, which decides what a well-formed and a malformed value of it look like. */
    enum Kind { TEXT, ID, ONE_OF, OBJECT, BOOLEAN, INSTANT, IP, REFRESH_TOKEN, LIMIT }

    enum BodyKind { NONE, JSON, JSON_OR_FORM }

    record Param(String name, Kind kind, Ref ref, List<String> values) {
    }

    /**
     * @param unknownQueryIgnored whether the route ignores a query parameter it does not read (reads do, and
     *                            {@code /token}); every other route refuses it
     */
    record Route(String method, String template, Guard guard, List<Param> query, boolean unknownQueryIgnored, BodyKind body,
            List<Param> fields) {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{(user|session|factor|client)}");

        Route query(Param... params) {
            return new Route(method, template, guard, List.of(params), unknownQueryIgnored, body, fields);
        }

        Route ignoringUnknownQuery() {
            return new Route(method, template, guard, query, true, body, fields);
        }

        Route json(Param... params) {
            return new Route(method, template, guard, query, unknownQueryIgnored, BodyKind.JSON, List.of(params));
        }

        Route jsonOrForm(Param... params) {
            return new Route(method, template, guard, query, unknownQueryIgnored, BodyKind.JSON_OR_FORM, List.of(params));
        }

        /** A GET changes nothing, so a well-formed GET may succeed; any other route must refuse hostile input. */
        boolean readOnly() {
            return method.equals("GET");
        }

        /** A route that takes no body at all (a DELETE, {@code /logout}) and so must refuse one that carries fields. */
        boolean refusesABody() {
            return !readOnly() && body == BodyKind.NONE;
        }

        List<Ref> pathRefs() {
            List<Ref> refs = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                refs.add(Ref.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)));
            }
            return refs;
        }

        /** The path with the i-th placeholder replaced by {@code segments[i]} (already encoded as it should travel). */
        String path(List<String> segments) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder path = new StringBuilder();
            int i = 0;
            while (m.find()) {
                m.appendReplacement(path, Matcher.quoteReplacement(segments.get(i++)));
            }
            m.appendTail(path);
            return path.toString();
        }

        /** The route as the server registers it, with every placeholder written {@code {}}. */
        String shape() {
            return method + " " + PLACEHOLDER.matcher(template).replaceAll("{}");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static Route get(String template, Guard guard) {
        return new Route("GET", template, guard, List.of(), true, BodyKind.NONE, List.of());
    }

    static Route post(String template, Guard guard) {
        return new Route("POST", template, guard, List.of(), false, BodyKind.NONE, List.of());
    }

    static Route put(String template, Guard guard) {
        return new Route("PUT", template, guard, List.of(), false, BodyKind.NONE, List.of());
    }

    static Route delete(String template, Guard guard) {
        return new Route("DELETE", template, guard, List.of(), false, BodyKind.NONE, List.of());
    }

    static Param text(String name) {
        return new Param(name, Kind.TEXT, null, List.of());
    }

    static Param id(String name, Ref ref) {
        return new Param(name, Kind.ID, ref, List.of());
    }

    static Param oneOf(String name, String... values) {
        return oneOf(name, Arrays.asList(values));
    }

    static Param oneOf(String name, List<String> values) {
        return new Param(name, Kind.ONE_OF, null, List.copyOf(values));
    }

    static Param object(String name) {
        return new Param(name, Kind.OBJECT, null, List.of());
    }

    static Param bool(String name) {
        return new Param(name, Kind.BOOLEAN, null, List.of());
    }

    static Param instant(String name) {
        return new Param(name, Kind.INSTANT, null, List.of());
    }

    static Param ip(String name) {
        return new Param(name, Kind.IP, null, List.of());
    }

    static Param refreshToken(String name) {
        return new Param(name, Kind.REFRESH_TOKEN, null, List.of());
    }

    /** A page size, 1 to 1000. */
    static Param limit(String name) {
        return new Param(name, Kind.LIMIT, null, List.of());
    }
}
