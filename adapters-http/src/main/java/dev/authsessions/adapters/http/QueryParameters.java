package dev.authsessions.adapters.http;

import dev.authsessions.application.port.in.Rejection;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The query parameters of one request, read exactly. Each route names the parameters it reads, and a
 * parameter it cannot read exactly is a 400 naming it before the route does anything: a repeated one
 * (which of the values would count?), an empty one ({@code ?except=} is not "no filter"), and, on a route
 * that changes something, one it does not read at all (a misspelt {@code Except=} must not turn "all but
 * one" into "all"). Routes that only read, and {@code /token} (whose GoTrue clients and gateways may add
 * parameters of their own), ignore names they do not read. Names are case-sensitive, as GoTrue's.
 * {@link QueryStrings} has already refused bad percent-encoding.
 */
final class QueryParameters {
    private final List<String> names;
    private final Map<String, String> values;

    private QueryParameters(List<String> names, Map<String, String> values) {
        this.names = names;
        this.values = values;
    }

    /** For a route that changes something: only {@code names} may appear, each at most once and never empty. */
    static QueryParameters exactly(Context ctx, String... names) {
        return read(ctx.queryString(), List.of(names), true);
    }

    /** For a route that only reads: names it does not read are ignored; {@code names} at most once and never empty. */
    static QueryParameters reading(Context ctx, String... names) {
        return read(ctx.queryString(), List.of(names), false);
    }

    private static QueryParameters read(String query, List<String> names, boolean refuseUnknown) {
        Map<String, String> values = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return new QueryParameters(names, values);
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                // "a=1&&b=2" or a trailing "&": there is no parameter here to misread.
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (!names.contains(name)) {
                if (refuseUnknown) {
                    throw unknown(name, names);
                }
                continue;
            }
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (value.isEmpty()) {
                throw Rejection.validation(
                        "The query parameter " + JsonFields.quoted(name) + " must not be empty (leave it out instead)");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw Rejection.validation("The query parameter " + JsonFields.quoted(name) + " must not appear more than once");
            }
        }
        return new QueryParameters(names, values);
    }

    /** The parameter's value, absent when the request does not carry it. */
    Optional<String> get(String name) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("the route did not declare the query parameter " + name);
        }
        return Optional.ofNullable(values.get(name));
    }

    /** The parameter read into its type by {@code parse}; a value {@code parse} refuses is a 400 saying it must be {@code what}. */
    <T> Optional<T> get(String name, Function<String, T> parse, String what) {
        return get(name).map(value -> {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw Rejection.validation(name + " must be " + what);
            }
        });
    }

    private static Rejection unknown(String name, List<String> names) {
        String quoted = JsonFields.quoted(name);
        if (names.isEmpty()) {
            return Rejection.validation("Unknown query parameter " + quoted + ": this endpoint takes no query parameters");
        }
        String hint = names.stream().filter(known -> known.equalsIgnoreCase(name)).findFirst()
                .map(known -> " (names are case-sensitive: " + known + ")").orElse("");
        return Rejection.validation("Unknown query parameter " + quoted + hint + ": this endpoint reads only "
                + String.join(", ", names));
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Rejection.validation("The query string is not valid percent-encoding");
        }
    }
}
