package io.incidentstream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentstream.codec.Json;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped {@code logback.xml} with {@code LOG_FORMAT=json} writes one JSON object per line,
 * even for messages and stack traces that contain newlines, so log shippers never split an event.
 */
class JsonLogFormatTest {

    @Test
    void shouldWriteOneJsonObjectPerLineWithLogFormatJson() throws Exception {
        final URL config = JsonLogFormatTest.class.getResource("/logback.xml");
        assertNotNull(config, "the application's logback.xml");
        final LoggerContext context = new LoggerContext();
        context.putProperty("LOG_FORMAT", "json");
        context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's binding does for the real context
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            configurator.doConfigure(config);
            final Appender<ILoggingEvent> appender =
                    context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
            assertNotNull(appender, "LOG_FORMAT=json routes the root logger to the json appender");
            ((OutputStreamAppender<ILoggingEvent>) appender).setOutputStream(out); // instead of stdout
            final Logger log = context.getLogger("io.incidentstream.example");
            log.info("Kafka Streams {} -> {}", "REBALANCING", "RUNNING");
            log.warn("a message\nover \"two\" lines");
            log.error("failed", new IllegalStateException("boom\nwith a second line"));
        } finally {
            context.stop();
        }
        final List<JsonNode> events = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (!line.isBlank()) {
                final JsonNode event = Json.mapper().readTree(line);
                assertTrue(event.isObject(), line);
                events.add(event);
            }
        }
        assertEquals(3, events.size(), "one line per event: " + out);
        assertEquals("INFO", events.get(0).path("level").asText());
        assertEquals(
                "Kafka Streams REBALANCING -> RUNNING",
                events.get(0).path("formattedMessage").asText(),
                "the readable line, not only the template and its arguments");
        assertTrue(events.get(0).path("context").isMissingNode(), "no per-line context noise: " + events.get(0));
        assertEquals(
                "a message\nover \"two\" lines", events.get(1).path("message").asText());
        assertTrue(
                events.get(2).path("throwable").toString().contains("boom"),
                events.get(2).toString());
    }
}
