package dev.authsessions.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The production logback.xml: AUTH_SESSIONS_LOG_FORMAT picks plain text or one JSON object per line. */
class LogFormatTest {

    /** Configures a fresh logging context from logback.xml with the format set, logs one request line, returns the output. */
    private static String logOneLine(String format) throws Exception {
        URL config = LogFormatTest.class.getResource("/logback.xml");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("AUTH_SESSIONS_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            context.getLogger("dev.authsessions.adapters.http.RequestLog").atInfo()
                    .addKeyValue("route", "/token")
                    .addKeyValue("status", 200)
                    .log("POST /token 200 1.0ms");
        } finally {
            context.stop();
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void textByDefault() throws Exception {
        String line = logOneLine(null);
        assertTrue(line.endsWith("INFO  [main] d.a.adapters.http.RequestLog - POST /token 200 1.0ms"), line);
        assertFalse(line.startsWith("{"), line);
    }

    @Test
    void jsonWhenAsked() throws Exception {
        String line = logOneLine("json");
        assertEquals(1, line.lines().count(), line);
        JsonNode event = new ObjectMapper().readTree(line);
        assertEquals("INFO", event.path("level").asText());
        assertEquals("dev.authsessions.adapters.http.RequestLog", event.path("loggerName").asText());
        assertEquals("POST /token 200 1.0ms", event.path("formattedMessage").asText());
        assertTrue(event.path("kvpList").toString().contains("\"route\":\"/token\""), line);
        assertFalse(event.has("arguments"), "arguments are not repeated");
    }
}
