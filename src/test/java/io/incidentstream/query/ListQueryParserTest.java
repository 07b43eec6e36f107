package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListQueryParserTest {
    private static final String TENANT = "acme";

    /** Builds a query-parameter map from {@code name=value} pairs; repeated names collect values in order. */
    private static Map<String, List<String>> params(final String... pairs) {
        final Map<String, List<String>> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            final int eq = pair.indexOf('=');
            final String name = pair.substring(0, eq);
            final List<String> values = new java.util.ArrayList<>(map.getOrDefault(name, List.of()));
            values.add(pair.substring(eq + 1));
            map.put(name, values);
        }
        return map;
    }

    private static ListQuery parse(final String... pairs) {
        return ListQueryParser.parse(TENANT, params(pairs));
    }

    private static String canonical(final String... pairs) {
        return parse(pairs).canonical();
    }

    @Test
    void shouldUseDefaultsForAnEmptyQuery() {
        final ListQuery q = parse();
        assertEquals(TENANT, q.tenant());
        assertEquals(Set.of(), q.statuses());
        assertEquals(Set.of(), q.severities());
        assertNull(q.alertId());
        assertNull(q.alertTemplateId());
        assertNull(q.source());
        assertNull(q.createdAfter());
        assertNull(q.createdBefore());
        assertEquals(Sort.CREATED_AT, q.sort());
        assertTrue(q.descending());
        assertEquals(ListQuery.DEFAULT_LIMIT, q.limit());
        assertEquals(20, ListQuery.DEFAULT_LIMIT);
        assertFalse(q.includeCount());
        assertNull(q.nextToken());
    }

    @Test
    void shouldCollectRepeatedAndCommaSeparatedEnumsCaseInsensitively() {
        final ListQuery q =
                parse("status=active,acknowledged", "status=RESOLVED", "severity=Critical", "severity=low,MEDIUM");
        assertEquals(EnumSet.of(Status.ACTIVE, Status.ACKNOWLEDGED, Status.RESOLVED), q.statuses());
        assertEquals(EnumSet.of(Severity.CRITICAL, Severity.LOW, Severity.MEDIUM), q.severities());
    }

    @Test
    void shouldParseEveryScalarParameter() {
        final ListQuery q = parse(
                "alertId=a-1",
                "alertTemplateId=t-1",
                "source=AUTOMATED",
                "createdAfter=2026-01-01T02:00:00+02:00",
                "createdBefore=2026-03-01T00:00:00Z",
                "sort=updatedAt",
                "order=asc",
                "limit=100",
                "includeCount=TRUE",
                "nextToken=tok");
        assertEquals("a-1", q.alertId());
        assertEquals("t-1", q.alertTemplateId());
        assertEquals(Source.AUTOMATED, q.source());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), q.createdAfter());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), q.createdBefore());
        assertEquals(Sort.UPDATED_AT, q.sort());
        assertFalse(q.descending());
        assertEquals(100, q.limit());
        assertTrue(q.includeCount());
        assertEquals("tok", q.nextToken());
    }

    @Test
    void shouldAcceptTheLimitBounds() {
        assertEquals(1, parse("limit=1").limit());
        assertEquals(ListQuery.MAX_LIMIT, parse("limit=100").limit());
        assertEquals(100, ListQuery.MAX_LIMIT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=0 | limit",
                "limit=101 | limit",
                "limit=-1 | limit",
                "limit=abc | limit",
                "limit=2.5 | limit",
                "limit=99999999999 | limit",
                "status=bogus | status",
                "'status= ' | status",
                "status=ACTIVE,,RESOLVED | status",
                "severity=bogus | severity",
                "severity=, | severity",
                "source=robot | source",
                "sort=bogus | sort",
                "order=sideways | order",
                "createdAfter=yesterday | createdAfter",
                "createdAfter=2026-01-01T00:00:00 | createdAfter",
                "createdBefore=1767225600000 | createdBefore",
                "includeCount=maybe | includeCount",
                "includeCount=1 | includeCount",
                "alertId= | alertId",
                "stauts=ACTIVE | stauts",
            })
    void shouldRejectABadValueNamingTheParameter(final String pair, final String name) {
        final BadRequestException e = assertThrows(BadRequestException.class, () -> parse(pair));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @ParameterizedTest(name = "{0} twice")
    @CsvSource({
        "limit, 5",
        "sort, createdAt",
        "order, asc",
        "alertId, a",
        "alertTemplateId, t",
        "source, manual",
        "createdAfter, 2026-01-01T00:00:00Z",
        "createdBefore, 2026-01-01T00:00:00Z",
        "includeCount, true",
        "nextToken, x"
    })
    void shouldRejectASingleValuedParameterGivenTwice(final String name, final String value) {
        final BadRequestException e =
                assertThrows(BadRequestException.class, () -> parse(name + "=" + value, name + "=" + value));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void shouldRejectAnEmptyOrInvertedCreatedRange() {
        final BadRequestException inverted = assertThrows(
                BadRequestException.class,
                () -> parse("createdAfter=2026-02-01T00:00:00Z", "createdBefore=2026-01-01T00:00:00Z"));
        assertTrue(inverted.getMessage().contains("createdAfter"), inverted.getMessage());
        assertThrows(
                BadRequestException.class,
                () -> parse("createdAfter=2026-01-01T00:00:00Z", "createdBefore=2026-01-01T00:00:00Z"));
        final ListQuery ok = parse("createdAfter=2026-01-01T00:00:00Z", "createdBefore=2026-01-01T00:00:00.001Z");
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), ok.createdAfter());
    }

    @Test
    void shouldRejectOverlongValuesNamingTheParameter() {
        final BadRequestException e =
                assertThrows(BadRequestException.class, () -> parse("nextToken=" + "x".repeat(1025)));
        assertTrue(e.getMessage().contains("nextToken"), e.getMessage());
        assertEquals(1024, parse("alertId=" + "a".repeat(1024)).alertId().length());
    }

    @Test
    void shouldListTheKnownParametersWhenOneIsUnknown() {
        final BadRequestException e = assertThrows(BadRequestException.class, () -> parse("stauts=ACTIVE"));
        assertTrue(e.getMessage().contains("status"), e.getMessage());
    }

    @Test
    void shouldKeepTheCanonicalFormWhenOnlyLimitOrTokenOrCountDiffer() {
        final String base = canonical("status=ACTIVE", "sort=updatedAt", "order=asc");
        assertEquals(base, canonical("status=ACTIVE", "sort=updatedAt", "order=asc", "limit=5"));
        assertEquals(base, canonical("status=ACTIVE", "sort=updatedAt", "order=asc", "limit=100", "nextToken=abc"));
        assertEquals(base, canonical("status=ACTIVE", "sort=updatedAt", "order=asc", "includeCount=true"));
    }

    @Test
    void shouldKeepTheCanonicalFormWhateverTheOrderAndSpellingOfEnumValues() {
        assertEquals(
                canonical("status=ACTIVE,resolved", "severity=low,HIGH"),
                canonical("severity=high", "status=Resolved", "severity=LOW", "status=active"));
        assertEquals(canonical(), canonical("sort=createdAt", "order=desc"));
    }

    @Test
    void shouldChangeTheCanonicalFormWhenAnySelectionOrOrderingDiffers() {
        final String base = canonical();
        final List<String[]> variants = List.of(
                new String[] {"status=ACTIVE"},
                new String[] {"status=RESOLVED"},
                new String[] {"severity=high"},
                new String[] {"alertId=a-1"},
                new String[] {"alertTemplateId=a-1"},
                new String[] {"source=manual"},
                new String[] {"createdAfter=2026-01-01T00:00:00Z"},
                new String[] {"createdBefore=2026-01-01T00:00:00Z"},
                new String[] {"sort=updatedAt"},
                new String[] {"order=asc"},
                new String[] {"alertId=null"},
                new String[] {"alertId=x|y"},
                new String[] {"alertId=x", "alertTemplateId=y|null"},
                new String[] {"alertId=-"});
        final Set<String> seen = new java.util.HashSet<>(Set.of(base));
        for (String[] variant : variants) {
            assertTrue(seen.add(canonical(variant)), "canonical form not distinct for " + String.join("&", variant));
        }
        assertNotEquals(base, ListQueryParser.parse("other-tenant", params()).canonical());
    }
}
