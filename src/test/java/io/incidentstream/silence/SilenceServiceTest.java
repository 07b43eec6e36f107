package io.incidentstream.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.errors.NotFoundException;
import io.incidentstream.model.LabelMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final List<SilenceMatcher> DISK = List.of(new SilenceMatcher("alertname", "DiskFull", false, true));

    private final SilenceView view = new SilenceView();
    private Instant now = NOW;
    private final SilenceService service = new SilenceService(
            SilenceLog.inMemory(view),
            view,
            new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(final java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            },
            Duration.ofDays(5));

    private static PostableSilence postable(
            final String id, final List<SilenceMatcher> matchers, final Instant startsAt, final Instant endsAt) {
        return new PostableSilence(id, matchers, startsAt, endsAt, "ops", "disk work", null);
    }

    @Test
    void shouldMuteMatchingLabelsOnceCreatedAndStopOnceExpired() {
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(3600)));
        assertEquals(List.of(id), view.silencedBy("acme", Map.of("alertname", "DiskFull"), NOW));
        assertEquals(List.of(), view.silencedBy("globex", Map.of("alertname", "DiskFull"), NOW), "per tenant");
        assertEquals(List.of(), view.silencedBy("acme", Map.of("alertname", "CpuHigh"), NOW));
        service.expire("acme", id);
        assertEquals(List.of(), view.silencedBy("acme", Map.of("alertname", "DiskFull"), NOW));
        assertEquals(SilenceState.EXPIRED, service.get("acme", id).status().state());
        assertThrows(BadRequestException.class, () -> service.expire("acme", id), "already expired");
    }

    @Test
    void shouldStartASilenceGivenAPastStartNow() {
        final String id = service.upsert("acme", postable(null, DISK, NOW.minusSeconds(600), NOW.plusSeconds(60)));
        assertEquals(NOW, service.get("acme", id).startsAt());
    }

    @Test
    void shouldUpdateInPlaceWhenMatchersAreTheSameAndTheChangeIsAllowed() {
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(3600)));
        now = NOW.plusSeconds(60);
        final String same = service.upsert("acme", postable(id, DISK, NOW, NOW.plusSeconds(7200)));
        assertEquals(id, same, "an active silence may be extended");
        assertEquals(NOW.plusSeconds(7200), service.get("acme", id).endsAt());
        assertEquals(1, service.list("acme", List.of()).size());
    }

    @Test
    void shouldReplaceASilenceWhoseMatchersChange() {
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(3600)));
        now = NOW.plusSeconds(60);
        final String replaced = service.upsert(
                "acme",
                postable(
                        id,
                        List.of(new SilenceMatcher("alertname", "CpuHigh", false, true)),
                        NOW,
                        NOW.plusSeconds(3600)));
        assertNotEquals(id, replaced);
        assertEquals(SilenceState.EXPIRED, service.get("acme", id).status().state(), "the old one is expired");
        assertEquals(SilenceState.ACTIVE, service.get("acme", replaced).status().state());
        final List<GettableSilence> listed = service.list("acme", List.of());
        assertEquals(
                List.of(replaced, id), listed.stream().map(GettableSilence::id).toList(), "active first");
    }

    @Test
    void shouldReplaceAnActiveSilenceWhoseStartChanges() {
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(3600)));
        now = NOW.plusSeconds(60);
        assertNotEquals(id, service.upsert("acme", postable(id, DISK, NOW.plusSeconds(30), NOW.plusSeconds(3600))));
    }

    @Test
    void shouldRefuseWhatAlertmanagerRefuses() {
        assertThrows(
                BadRequestException.class,
                () -> service.upsert("acme", postable(null, DISK, NOW.minusSeconds(60), NOW.minusSeconds(1))),
                "end in the past");
        assertThrows(
                NotFoundException.class,
                () -> service.upsert("acme", postable("no-such-id", DISK, NOW, NOW.plusSeconds(1))));
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(60)));
        assertThrows(NotFoundException.class, () -> service.get("globex", id), "another tenant's is none");
        assertThrows(NotFoundException.class, () -> service.expire("globex", id));
    }

    @Test
    void shouldFilterByTheSilencesMatchers() {
        final String disk = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(60)));
        service.upsert(
                "acme",
                postable(
                        null,
                        List.of(new SilenceMatcher("alertname", "CpuHigh", false, true)),
                        NOW,
                        NOW.plusSeconds(60)));
        assertEquals(
                List.of(disk),
                service.list("acme", List.of(LabelMatcher.parse("alertname=DiskFull"))).stream()
                        .map(GettableSilence::id)
                        .toList());
        assertEquals(
                2,
                service.list("acme", List.of(LabelMatcher.parse("alertname=~.+")))
                        .size());
    }

    @Test
    void shouldForgetExpiredSilencesAfterTheRetention() {
        final String id = service.upsert("acme", postable(null, DISK, NOW, NOW.plusSeconds(60)));
        now = NOW.plus(Duration.ofDays(5)).plusSeconds(61);
        assertTrue(service.list("acme", List.of()).isEmpty());
        assertThrows(NotFoundException.class, () -> service.get("acme", id));
    }

    @Test
    void shouldRefuseABodyAlertmanagerWouldRefuse() throws Exception {
        final com.fasterxml.jackson.databind.ObjectMapper json = io.incidentstream.codec.Json.mapper();
        final String ok = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"X\",\"isRegex\":false}],"
                + "\"startsAt\":\"2026-12-01T10:00:00Z\",\"endsAt\":\"2026-12-01T11:00:00Z\",\"createdBy\":\"me\",\"comment\":\"c\"}";
        assertTrue(PostableSilence.parse(json.readTree(ok)).matchers().get(0).isEqual(), "isEqual defaults to true");
        for (String bad : List.of(
                ok.replace("\"alertname\",\"value\":\"X\"", "\"alertname\",\"value\":\"\""),
                ok.replace("\"isRegex\":false", "\"isRegex\":true").replace("\"X\"", "\"(\""),
                ok.replace("2026-12-01T11:00:00Z", "2026-12-01T09:00:00Z"),
                ok.replace(",\"comment\":\"c\"", ""),
                ok.replace(
                        "\"matchers\":[{\"name\":\"alertname\",\"value\":\"X\",\"isRegex\":false}]", "\"matchers\":[]"),
                ok.substring(0, ok.length() - 1) + ",\"recurrence\":{\"every\":\"yearly\"}}")) {
            assertThrows(BadRequestException.class, () -> PostableSilence.parse(json.readTree(bad)), bad);
        }
    }
}
