package io.incidentstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.grouping.GroupingRule;
import io.incidentstream.model.AlertEvent;
import io.incidentstream.model.AlertStatus;
import io.incidentstream.model.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grouping preview over a fake history: the rule checked as a PUT checks it, the range and the
 * read bounded and said so, and the counts those of the fold's own grouping code run in memory.
 */
class GroupingPreviewsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** The history as a list; remembers what it was asked. */
    private static final class FakeHistory implements AlertHistory {
        final List<AlertEvent> alerts = new ArrayList<>();
        String truncatedBy;
        Instant askedFrom;
        Instant askedTo;
        String askedTenant;

        @Override
        public Read read(final String tenant, final Instant from, final Instant to, final int maxRecords) {
            askedTenant = tenant;
            askedFrom = from;
            askedTo = to;
            return new Read(
                    alerts.stream().filter(a -> a.tenantId().equals(tenant)).toList(), alerts.size(), truncatedBy);
        }
    }

    private final FakeHistory history = new FakeHistory();
    private final GroupingPreviews previews =
            new GroupingPreviews(history, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));

    private static AlertEvent alert(
            final String tenant, final String id, final AlertStatus status, final Instant at, final String host) {
        return new AlertEvent(
                id,
                1,
                null,
                tenant,
                status,
                Severity.HIGH,
                null,
                null,
                at,
                at.plus(Duration.ofMinutes(5)),
                null,
                Map.of("env", "prod", "host", host),
                null);
    }

    private static GroupingRule byHost(final String window, final Integer minAlerts) {
        return new GroupingRule(
                null,
                null,
                new GroupingRule.Match(Map.of("env", "prod"), null, null, null),
                List.of("host"),
                window,
                null,
                null,
                minAlerts,
                "{{host}}: {{memberCount}}");
    }

    private GroupingPreviews.Answer preview(final GroupingRule rule) {
        return previews.preview("acme", new GroupingPreviews.Request(rule, null, null, null));
    }

    @Test
    void shouldCountTheIncidentsTheRuleWouldHaveOpened() {
        final Instant t = NOW.minus(Duration.ofMinutes(30));
        for (int i = 0; i < 10; i++) {
            history.alerts.add(alert("acme", "a" + i, AlertStatus.FIRING, t.plusSeconds(i), "db-" + i % 2));
        }
        history.alerts.add(alert("other", "x", AlertStatus.FIRING, t, "db-0"));
        final GroupingPreviews.Answer a = preview(byHost("PT15M", null));
        assertEquals("acme", history.askedTenant, "only the caller's tenant");
        assertEquals(2, a.incidents(), "one incident per host");
        assertEquals(10, a.alertsMatched());
        assertEquals(2, a.sample().size());
        assertEquals(5, a.sample().get(0).memberCount());
        assertEquals("db-0: 5", a.sample().get(0).title());
        assertEquals(List.of("a0", "a2", "a4", "a6", "a8"), a.sample().get(0).alertIds());
        assertFalse(a.truncated());
        assertNull(a.truncatedBy());
        assertEquals("preview", a.rule().id(), "a rule without id is named preview");
        assertEquals(NOW.minus(Duration.ofHours(1)), a.from(), "the last hour by default");
    }

    @Test
    void shouldOpenANewIncidentAfterTheWindowAndAfterTheMembersExpired() {
        final Instant t = NOW.minus(Duration.ofHours(3));
        history.alerts.add(alert("acme", "a", AlertStatus.FIRING, t, "h"));
        // 20 minutes later: outside the 15 min window, so a second incident.
        history.alerts.add(alert("acme", "b", AlertStatus.FIRING, t.plus(Duration.ofMinutes(20)), "h"));
        final GroupingPreviews.Answer a = previews.preview(
                "acme",
                new GroupingPreviews.Request(
                        byHost("PT15M", null), NOW.minus(Duration.ofHours(4)).toString(), null, null));
        assertEquals(2, a.incidents());
        assertEquals("EXPIRED", a.sample().get(0).status(), "each member expires on its own validUntil");
        assertEquals("EXPIRED", a.sample().get(1).status());
    }

    @Test
    void shouldHoldAlertsUntilMinAlertsMatched() {
        final Instant t = NOW.minus(Duration.ofMinutes(10));
        history.alerts.add(alert("acme", "a", AlertStatus.FIRING, t, "h1"));
        history.alerts.add(alert("acme", "b", AlertStatus.FIRING, t.plusSeconds(1), "h1"));
        history.alerts.add(alert("acme", "c", AlertStatus.FIRING, t.plusSeconds(2), "h1"));
        history.alerts.add(alert("acme", "d", AlertStatus.FIRING, t, "h2"));
        final GroupingPreviews.Answer a = preview(byHost("PT15M", 3));
        assertEquals(1, a.incidents(), "h1 reached three alerts, h2 never did");
        assertEquals(3, a.sample().get(0).memberCount());
        assertEquals(1, a.stillHeld());
        assertEquals(3, a.alertsHeld(), "a and b held until c opened h1; d still held");
    }

    @Test
    void shouldResolveTheGroupWhenEveryMemberResolved() {
        final Instant t = NOW.minus(Duration.ofMinutes(10));
        history.alerts.add(alert("acme", "a", AlertStatus.FIRING, t, "h"));
        history.alerts.add(alert("acme", "b", AlertStatus.FIRING, t.plusSeconds(1), "h"));
        history.alerts.add(alert("acme", "a", AlertStatus.RESOLVED, t.plusSeconds(2), "h"));
        history.alerts.add(alert("acme", "b", AlertStatus.RESOLVED, t.plusSeconds(3), "h"));
        history.alerts.add(alert("acme", "c", AlertStatus.FIRING, t.plusSeconds(4), "other-env-missing"));
        final GroupingPreviews.Answer a = preview(byHost(null, null));
        assertEquals("RESOLVED", a.sample().get(0).status());
        assertEquals(2, a.incidents());
        assertEquals(5, a.eventsMatched());
    }

    @Test
    void shouldLeaveAlertsTheRuleDoesNotTakeOut() {
        history.alerts.add(new AlertEvent(
                "dev-1",
                1,
                null,
                "acme",
                AlertStatus.FIRING,
                Severity.LOW,
                null,
                null,
                NOW.minusSeconds(60),
                NOW,
                null,
                Map.of("env", "dev"),
                null));
        final GroupingPreviews.Answer a = preview(byHost(null, null));
        assertEquals(0, a.incidents());
        assertEquals(1, a.alertsNotMatched());
        assertEquals(0, a.alertsMatched());
    }

    @Test
    void shouldRefuseABadRuleNamingTheField() {
        final BadRequestException e = assertThrows(BadRequestException.class, () -> preview(byHost("soon", null)));
        assertTrue(e.getMessage().startsWith("rule.window: "), e.getMessage());
        assertTrue(assertThrows(
                        BadRequestException.class,
                        () -> previews.preview("acme", new GroupingPreviews.Request(null, null, null, null)))
                .getMessage()
                .startsWith("rule: "));
        assertTrue(assertThrows(
                        BadRequestException.class,
                        () -> previews.preview(
                                "acme", new GroupingPreviews.Request(byHost(null, null), "yesterday", null, null)))
                .getMessage()
                .startsWith("from: "));
        assertTrue(assertThrows(
                        BadRequestException.class,
                        () -> previews.preview(
                                "acme",
                                new GroupingPreviews.Request(
                                        byHost(null, null),
                                        NOW.toString(),
                                        NOW.minusSeconds(5).toString(),
                                        null)))
                .getMessage()
                .startsWith("from: "));
        assertTrue(assertThrows(
                        BadRequestException.class,
                        () -> previews.preview(
                                "acme", new GroupingPreviews.Request(byHost(null, null), null, null, 51)))
                .getMessage()
                .startsWith("sample: "));
    }

    @Test
    void shouldReadAtMostTheLastDayAndSaySo() {
        final GroupingPreviews.Answer a = previews.preview(
                "acme",
                new GroupingPreviews.Request(
                        byHost(null, null),
                        NOW.minus(Duration.ofDays(3)).toString(),
                        NOW.plus(Duration.ofHours(1)).toString(),
                        null));
        assertEquals(NOW.minus(Duration.ofHours(24)), history.askedFrom);
        assertEquals(NOW, history.askedTo, "nothing from the future");
        assertTrue(a.truncated());
        assertTrue(a.truncatedBy().contains("24 h"), a.truncatedBy());
    }

    @Test
    void shouldSayWhenTheRecordBoundCutTheRead() {
        history.truncatedBy = "at most 100000 records are read, the oldest of the range";
        final GroupingPreviews.Answer a = preview(byHost(null, null));
        assertTrue(a.truncated());
        assertEquals(history.truncatedBy, a.truncatedBy());
    }
}
