package io.incidentstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matchers read and applied as Alertmanager's API reads and applies them. */
class LabelMatcherTest {
    private static final Map<String, String> DB1 = Map.of("alertname", "DiskFull", "instance", "db1:9100");

    @Test
    void shouldParseTheFourOperatorsQuotedOrNot() {
        assertEquals(
                new LabelMatcher("alertname", LabelMatcher.Type.EQUAL, "DiskFull", null).toString(),
                LabelMatcher.parse("alertname=DiskFull").toString());
        assertEquals(
                "alertname=\"Disk Full\"",
                LabelMatcher.parse(" alertname = \"Disk Full\" ").toString());
        assertEquals(LabelMatcher.Type.NOT_EQUAL, LabelMatcher.parse("a!=b").type());
        assertEquals(LabelMatcher.Type.REGEX, LabelMatcher.parse("a=~\"b.*\"").type());
        assertEquals(LabelMatcher.Type.NOT_REGEX, LabelMatcher.parse("a!~b").type());
        assertEquals(
                "say \"hi\"\n\\",
                LabelMatcher.parse("a=\"say \\\"hi\\\"\\n\\\\\"").value());
    }

    @Test
    void shouldRefuseWhatAlertmanagerRefuses() {
        for (String bad : new String[] {"", "DiskFull", "1abc=x", "a=\"open", "a=in\"side", "a=~(", "{a=b}"}) {
            assertThrows(IllegalArgumentException.class, () -> LabelMatcher.parse(bad), bad);
        }
    }

    @Test
    void shouldAnchorRegularExpressions() {
        assertTrue(LabelMatcher.parse("instance=~db1.*").matches(DB1));
        assertFalse(LabelMatcher.parse("instance=~db1").matches(DB1), "anchored at the end");
        assertFalse(LabelMatcher.parse("instance=~b1.*").matches(DB1), "anchored at the start");
        assertTrue(LabelMatcher.parse("instance!~db2.*").matches(DB1));
        assertTrue(LabelMatcher.parse("instance=~\"a|db1:9100\"").matches(DB1), "alternation stays inside the anchors");
    }

    @Test
    void shouldTreatAbsentLabelsAndEmptyValuesAsAlertmanagersApiDoes() {
        assertTrue(LabelMatcher.parse("team=\"\"").matches(DB1), "absent label, empty value");
        assertFalse(LabelMatcher.parse("team=ops").matches(DB1));
        assertTrue(LabelMatcher.parse("team!=ops").matches(DB1), "absent is not ops");
        assertTrue(LabelMatcher.parse("instance!=\"\"").matches(DB1), "present, whatever its value");
        assertFalse(LabelMatcher.parse("team!=\"\"").matches(DB1));
    }

    @Test
    void shouldMatchInLinearTimeWhateverThePattern() {
        final LabelMatcher evil = LabelMatcher.parse("instance=~\"(a+)+b\"");
        final long start = System.nanoTime();
        assertFalse(evil.matches(Map.of("instance", "a".repeat(5000))));
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "no catastrophic backtracking");
    }
}
