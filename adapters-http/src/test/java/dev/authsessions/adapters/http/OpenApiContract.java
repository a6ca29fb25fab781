package dev.authsessions.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's OpenAPI document as a test oracle: checks that a real response's status is documented
 * for its operation and that its body (and error-code header) match the documented JSON schema, with
 * format assertions on (uuid, date-time).
 */
final class OpenApiContract {
    private static final String DOCUMENT_IRI = "https://auth-sessions.dev/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry registry;

    private OpenApiContract() {
        String text = new String(OpenApiRoutes.load(), StandardCharsets.UTF_8);
        try {
            this.document = JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("the OpenAPI document is not JSON", e);
        }
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)));
    }

    private static final OpenApiContract INSTANCE = new OpenApiContract();

    static OpenApiContract get() {
        return INSTANCE;
    }

    JsonNode document() {
        return document;
    }

    /** Fails unless {@code response} is a documented answer of {@code method} on {@code pathTemplate}. */
    void assertConforms(String method, String pathTemplate, HttpResponse<String> response) {
        String where = method + " " + pathTemplate + " -> " + response.statusCode();
        JsonNode operation = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        assertTrue(operation.isObject(), "undocumented operation " + method + " " + pathTemplate);
        String responsePointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + response.statusCode();
        JsonNode documented = document.at(responsePointer);
        if (documented.isMissingNode()) {
            fail("undocumented status for " + where + ": " + response.body());
        }
        if (documented.has("$ref")) {
            responsePointer = documented.get("$ref").asText().substring(1);
            documented = document.at(responsePointer);
        }
        JsonNode headers = documented.path("headers");
        headers.fields().forEachRemaining(header -> {
            JsonNode spec = header.getValue().has("$ref") ? document.at(header.getValue().get("$ref").asText().substring(1))
                    : header.getValue();
            if (spec.path("required").asBoolean(false)) {
                assertTrue(response.headers().firstValue(header.getKey()).isPresent(),
                        "missing required header " + header.getKey() + " on " + where);
            }
        });
        JsonNode content = documented.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertEquals("", response.body(), "documented without a body: " + where);
            return;
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/json"), "not JSON: " + where + " " + contentType);
        assertTrue(content.has("application/json"), "JSON not documented for " + where);
        List<Error> errors = validate(responsePointer + "/content/application~1json/schema", response.body());
        assertTrue(errors.isEmpty(), "response of " + where + " breaks its schema: " + errors + "\nbody: " + response.body());
    }

    /** Validation errors of {@code json} against the schema at {@code pointer} (a JSON pointer into the document). */
    List<Error> validate(String pointer, String json) {
        assertNotNull(document.at(pointer).isMissingNode() ? null : document.at(pointer), "no schema at " + pointer);
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + encodeFragment(pointer)));
        try {
            return schema.validate(JSON.readTree(json), context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** A path as one JSON pointer token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment (RFC 6901 section 6). */
    private static String encodeFragment(String pointer) {
        return pointer.replace("{", "%7B").replace("}", "%7D");
    }
}
