package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentstream.codec.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonSize} against what the project's Jackson really writes, over seeded random values. */
class JsonSizeTest {
    /** ASCII, every escape Jackson writes, two- and three-byte characters, a surrogate pair and lone halves. */
    private static final String[] PIECES = {
        "a",
        "Z",
        " ",
        "/",
        "\u0001",
        "\n",
        "\t",
        "\u001f",
        "\"",
        "\\",
        "é",
        "€",
        "\u2028",
        "\ud834\udd1e",
        "\ud800",
        "\udc00"
    };

    private final Random random = new Random(23);

    private static int written(final Object value) throws JsonProcessingException {
        return Json.mapper().writeValueAsBytes(value).length;
    }

    private String text(final int maxPieces) {
        final StringBuilder b = new StringBuilder();
        final int n = random.nextInt(maxPieces + 1);
        for (int i = 0; i < n; i++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private JsonNode value(final int depth) {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (depth == 0 ? random.nextInt(7) : random.nextInt(9)) {
            case 0 -> f.textNode(text(8));
            case 1 -> f.numberNode(random.nextInt());
            case 2 -> f.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> f.numberNode(new BigInteger(200, random));
            case 4 -> f.numberNode(new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(30)));
            case 5 -> f.booleanNode(random.nextBoolean());
            case 6 -> f.nullNode();
            case 7 -> {
                final ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(depth - 1));
                }
                yield array;
            }
            default -> {
                final ObjectNode object = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(text(4), value(depth - 1));
                }
                yield object;
            }
        };
    }

    @Test
    void shouldMeasureTextAsJacksonWritesIt() throws JsonProcessingException {
        for (int i = 0; i < 2000; i++) {
            final String s = text(20);
            assertEquals(
                    written(s),
                    JsonSize.ofText(s) + 2,
                    () -> "for " + s.codePoints().boxed().toList());
        }
    }

    @Test
    void shouldMeasureJsonValuesAsJacksonWritesThem() throws JsonProcessingException {
        for (int i = 0; i < 2000; i++) {
            final JsonNode node = value(4);
            assertEquals(written(node), JsonSize.of(node), node::toString);
            assertTrue(JsonSize.atMost(node) >= JsonSize.of(node), node::toString);
        }
    }

    @Test
    void shouldMeasureStringMapsAsJacksonWritesThem() throws JsonProcessingException {
        for (int i = 0; i < 500; i++) {
            final Map<String, String> map = new HashMap<>();
            for (int n = random.nextInt(6); n > 0; n--) {
                map.put(text(6), text(10));
            }
            assertEquals(written(map), JsonSize.of(map), map::toString);
            assertTrue(JsonSize.atMost(map) >= JsonSize.of(map), "atMost is an upper bound: " + map);
        }
    }

    @Test
    void shouldTellWhetherTextFitsWithoutScanningShortText() {
        assertEquals(true, JsonSize.fits("€".repeat(16_384), 48 * 1024));
        assertEquals(false, JsonSize.fits("€".repeat(16_384) + "a", 48 * 1024));
        assertEquals(false, JsonSize.fits("\u0001".repeat(9000), 48 * 1024), "a control character is 6 bytes");
        assertEquals(true, JsonSize.fits(null, 0));
    }
}
