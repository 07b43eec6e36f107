package io.incidentstream.query;

import static io.incidentstream.query.ClusterFixture.CURSORS;
import static io.incidentstream.query.ClusterFixture.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.model.LabelMatcher;
import io.incidentstream.model.Severity;
import io.incidentstream.model.Source;
import io.incidentstream.model.Status;
import io.incidentstream.store.CursorCodec;
import io.incidentstream.testkit.RandomEnums;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer must parse exactly the query the coordinator parsed, or it would serve another list (or
 * refuse the cursor): {@code parse(toQueryString(q))} equals {@code q}.
 */
class ListQueryCodecTest {
    private static final String TENANT = "acme";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TOKEN = CURSORS.encode("any", new CursorCodec.Position(-1, "incident.0.1"));

    private static ListQuery q(
            final String alertId,
            final String alertTemplateId,
            final Instant after,
            final Instant before,
            final String nextToken) {
        return new ListQuery(
                TENANT,
                Set.of(),
                Set.of(),
                alertId,
                alertTemplateId,
                null,
                after,
                before,
                List.of(),
                Sort.CREATED_AT,
                true,
                ListQuery.DEFAULT_LIMIT,
                false,
                nextToken);
    }

    private static ListQuery roundTrip(final ListQuery q) {
        return ListQueryParser.parse(q.tenant(), split(ListQueryCodec.toQueryString(q)));
    }

    static Stream<ListQuery> queries() {
        return Stream.of(
                q(null, null, null, null, null),
                new ListQuery(
                        TENANT,
                        EnumSet.allOf(Status.class),
                        EnumSet.allOf(Severity.class),
                        "alert-1",
                        "template-1",
                        Source.MANUAL,
                        T,
                        T.plusSeconds(3600),
                        List.of(LabelMatcher.parse("service=checkout"), LabelMatcher.parse("env=~prod-.*")),
                        Sort.UPDATED_AT,
                        false,
                        ListQuery.MAX_LIMIT,
                        true,
                        TOKEN),
                new ListQuery(
                        TENANT,
                        Set.of(Status.RESOLVED),
                        Set.of(Severity.LOW, Severity.CRITICAL),
                        null,
                        null,
                        Source.AUTOMATED,
                        null,
                        null,
                        List.of(),
                        Sort.CREATED_AT,
                        false,
                        1,
                        false,
                        null),
                q("a&b=c/d %", "t?x#y;z", null, null, null),
                q("+plus+ and spaces ", "%41%2B", null, null, null),
                q("ünïcødé 🚨 警报", "Ω≈ç√", null, null, null),
                q("a,b,c", "=", null, null, null),
                q("line\nbreak\ttab", "quote\"'<>\\", null, null, null),
                q("x".repeat(1024), null, null, null, null),
                q(null, null, Instant.parse("2026-01-01T00:00:00.123456789Z"), null, null),
                q(null, null, null, Instant.parse("1969-12-31T23:59:59.999Z"), null),
                q(null, null, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59Z"), null),
                q(null, null, null, null, "AbC-_-_09xyz"),
                q(null, null, null, null, TOKEN),
                q(null, null, null, null, "-"));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void shouldParseBackExactlyTheQueryItWrote(final ListQuery query) {
        final ListQuery parsed = roundTrip(query);
        assertEquals(query, parsed, ListQueryCodec.toQueryString(query));
        assertEquals(query.canonical(), parsed.canonical(), "a cursor issued for one must be accepted for the other");
    }

    @Test
    void shouldRoundTripRandomQueries() {
        final Random random = new Random(2026);
        for (int n = 0; n < 2_000; n++) {
            final ListQuery query = random(random);
            assertEquals(query, roundTrip(query), ListQueryCodec.toQueryString(query));
        }
    }

    @Test
    void shouldKeepCursorsValidAcrossTheWire() {
        final ListQuery query = new ListQuery(
                TENANT,
                Set.of(Status.ACTIVE),
                Set.of(),
                "a&b=c/d %",
                null,
                null,
                T,
                null,
                List.of(),
                Sort.CREATED_AT,
                true,
                10,
                false,
                null);
        final CursorCodec.Position position = new CursorCodec.Position(T.toEpochMilli(), "incident.3.7");
        final String token = CURSORS.encode(query.canonical(), position);
        final ListQuery next = new ListQuery(
                TENANT,
                query.statuses(),
                query.severities(),
                query.alertId(),
                null,
                null,
                T,
                null,
                List.of(),
                Sort.CREATED_AT,
                true,
                10,
                false,
                token);
        final ListQuery atPeer = roundTrip(next);
        assertEquals(position, CURSORS.decode(atPeer.canonical(), atPeer.nextToken()));
    }

    @Test
    void shouldWriteOnlyListParametersEachOnce() {
        final ListQuery all = queries().toList().get(1);
        final Map<String, List<String>> params = split(ListQueryCodec.toQueryString(all));
        assertFalse(params.containsKey("tenant"), "the tenant travels separately, from the credential's side");
        assertEquals(
                List.of("env=~\"prod-.*\"", "service=\"checkout\""), params.remove("label"), "one label per matcher");
        params.forEach((name, values) -> assertEquals(1, values.size(), name));
        assertEquals(
                Set.of(
                        "status",
                        "severity",
                        "alertId",
                        "alertTemplateId",
                        "source",
                        "createdAfter",
                        "createdBefore",
                        "sort",
                        "order",
                        "limit",
                        "includeCount",
                        "nextToken"),
                params.keySet());
        assertTrue(ListQueryCodec.toQueryString(all).matches("[A-Za-z0-9%=&._*+-]+"), "every value is percent-encoded");
    }

    private static ListQuery random(final Random r) {
        final Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (Status s : Status.values()) {
            if (r.nextInt(3) == 0) {
                statuses.add(s);
            }
        }
        final Set<Severity> severities = EnumSet.noneOf(Severity.class);
        for (Severity s : Severity.values()) {
            if (r.nextInt(3) == 0) {
                severities.add(s);
            }
        }
        final Instant after = r.nextBoolean() ? null : T.plusNanos(r.nextLong(1L << 50) * (r.nextBoolean() ? 1 : -1));
        final Instant before = r.nextBoolean() ? null : (after == null ? T : after).plusNanos(1 + r.nextLong(1L << 40));
        return new ListQuery(
                r.nextInt(4) == 0 ? "tenant ü/" + r.nextInt(9) : TENANT,
                statuses,
                severities,
                text(r),
                text(r),
                r.nextBoolean() ? null : RandomEnums.pick(r, Source.class),
                after,
                before,
                r.nextBoolean()
                        ? List.of()
                        : List.of(
                                LabelMatcher.of(
                                        "service", LabelMatcher.Type.EQUAL, Objects.requireNonNullElse(text(r), "")),
                                LabelMatcher.of(
                                        "env", LabelMatcher.Type.NOT_EQUAL, Objects.requireNonNullElse(text(r), ""))),
                RandomEnums.pick(r, Sort.class),
                r.nextBoolean(),
                1 + r.nextInt(ListQuery.MAX_LIMIT),
                r.nextBoolean(),
                r.nextBoolean()
                        ? null
                        : CURSORS.encode("q", new CursorCodec.Position(r.nextLong(), "incident.1." + r.nextInt(999))));
    }

    /** Null, or 1 to 30 code points drawn from ASCII punctuation, Latin-1, CJK and emoji, never blank. */
    private static String text(final Random r) {
        if (r.nextInt(3) == 0) {
            return null;
        }
        final int[] ranges = {0x21, 0x7e, 0xa1, 0xff, 0x4e00, 0x4fff, 0x1f300, 0x1f5ff};
        final StringBuilder s = new StringBuilder();
        final int length = 1 + r.nextInt(30);
        for (int i = 0; i < length; i++) {
            final int k = r.nextInt(4) * 2;
            s.appendCodePoint(ranges[k] + r.nextInt(ranges[k + 1] - ranges[k] + 1));
            if (r.nextInt(6) == 0) {
                s.append(' ');
            }
        }
        return s.toString();
    }
}
