package io.incidentstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frames the live stream writes itself are the ones Javalin's SseClient would write. */
class StreamControllerTest {

    private static String frame(final String name, final String id, final String data) {
        return new String(StreamController.frame(name, id, data), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteTheIdTheEventAndTheDataThenABlankLine() {
        assertEquals(
                "id: 1.2z\nevent: incident\ndata: {\"id\":\"é\"}\n\n", frame("incident", "1.2z", "{\"id\":\"é\"}"));
        assertEquals("event: snapshot-complete\ndata: {}\n\n", frame("snapshot-complete", null, "{}"));
    }

    @Test
    void shouldSendEachLineOfTheDataAsADataLineAndKeepLineBreaksOutOfTheIdAndName() {
        assertEquals("id: 12\nevent: ab\ndata: a\ndata: b\ndata: c\n\n", frame("a\nb", "1\r\n2", "a\r\nb\nc"));
        assertEquals("event: x\ndata: \ndata: y\n\n", frame("x", null, "\ny"));
    }
}
