package io.incidentstream.silence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A maintenance window: a silence with a recurrence mutes only inside its windows (and only between its
 * {@code startsAt} and {@code endsAt}). JSON:
 * <pre>{"every": "weekly", "days": ["SAT", "SUN"], "start": "22:00", "duration": "PT2H", "timeZone": "Europe/Berlin"}</pre>
 * <ul>
 *   <li>{@code every}: {@code daily} (no {@code days}) or {@code weekly} ({@code days} required, three-letter
 *       English names).</li>
 *   <li>{@code start}: the local wall-clock time a window opens, {@code HH:mm}, in {@code timeZone} (an IANA
 *       zone id, default {@code UTC}). A window opens on each day listed (every day when daily).</li>
 *   <li>{@code duration}: ISO-8601, elapsed time, more than zero and at most one day ({@code daily}) or seven
 *       days ({@code weekly}); a window may cross midnight and the end of the week.</li>
 * </ul>
 * Daylight saving time: a start that falls in the hour the clock skips opens at the same offset after the
 * gap (02:30 on the spring-forward night opens at 03:30); a start that falls in the hour repeated opens at
 * the first of the two. The duration is real elapsed time, so a 2-hour window over the change is 2 hours.
 */
public record Recurrence(Every every, Set<DayOfWeek> days, LocalTime start, Duration duration, ZoneId timeZone) {

    /** How often a window opens. */
    public enum Every {
        DAILY,
        WEEKLY;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    /** The longest window of a daily recurrence. */
    public static final Duration MAX_DAILY = Duration.ofDays(1);

    /** The longest window of a weekly recurrence. */
    public static final Duration MAX_WEEKLY = Duration.ofDays(7);

    /**
     * @throws IllegalArgumentException saying what is wrong
     */
    public Recurrence {
        Objects.requireNonNull(every, "recurrence.every is required (daily or weekly)");
        Objects.requireNonNull(start, "recurrence.start is required (HH:mm)");
        Objects.requireNonNull(duration, "recurrence.duration is required (e.g. PT2H)");
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (every == Every.WEEKLY && days.isEmpty()) {
            throw new IllegalArgumentException(
                    "recurrence.days is required with every=weekly (e.g. [\"SAT\",\"SUN\"])");
        }
        if (every == Every.DAILY && !days.isEmpty()) {
            throw new IllegalArgumentException("recurrence.days is for every=weekly; a daily window opens every day");
        }
        final Duration max = every == Every.DAILY ? MAX_DAILY : MAX_WEEKLY;
        if (duration.isNegative() || duration.isZero() || duration.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "recurrence.duration must be more than zero and at most " + max + " with every=" + every.text());
        }
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException saying which field is wrong
     */
    @JsonCreator
    public static Recurrence fromJson(final JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("recurrence must be an object");
        }
        final Every every = switch (text(json, "every").toLowerCase(Locale.ROOT)) {
            case "daily" -> Every.DAILY;
            case "weekly" -> Every.WEEKLY;
            default -> throw new IllegalArgumentException("recurrence.every must be daily or weekly");
        };
        final Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        final JsonNode list = json.get("days");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("recurrence.days must be a list such as [\"MON\",\"TUE\"]");
            }
            list.forEach(d -> days.add(day(d.asText())));
        }
        final LocalTime start;
        final Duration duration;
        final ZoneId zone;
        try {
            start = LocalTime.parse(text(json, "start"), HH_MM);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recurrence.start must be a time HH:mm, e.g. 22:00", e);
        }
        try {
            duration = Duration.parse(text(json, "duration"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recurrence.duration must be an ISO-8601 duration, e.g. PT2H", e);
        }
        try {
            final JsonNode tz = json.get("timeZone");
            zone = tz == null || tz.isNull() ? null : ZoneId.of(tz.asText());
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("recurrence.timeZone must be an IANA zone id, e.g. Europe/Berlin", e);
        }
        return new Recurrence(every, days, start, duration, zone);
    }

    /** The JSON form, as {@link #fromJson} reads it. */
    @JsonValue
    public Map<String, Object> toJson() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("every", every.text());
        if (!days.isEmpty()) {
            out.put(
                    "days",
                    new TreeSet<>(days).stream().map(Recurrence::dayName).toList());
        }
        out.put("start", HH_MM.format(start));
        out.put("duration", duration.toString());
        out.put("timeZone", timeZone.getId());
        return out;
    }

    private static String text(final JsonNode json, final String field) {
        final JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("recurrence." + field + " is required (a string)");
        }
        return v.asText();
    }

    private static DayOfWeek day(final String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (dayName(d).equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "recurrence.days: unknown day '" + text + "'; use MON, TUE, WED, THU, FRI, SAT, SUN");
    }

    private static String dayName(final DayOfWeek d) {
        return d.name().substring(0, 3);
    }

    /** One window: open from {@code start} (inclusive) to {@code end} (exclusive). */
    public record Window(Instant start, Instant end) {
        boolean contains(final Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    /** The window that contains {@code at}, or null. */
    public Window windowAt(final Instant at) {
        final LocalDate today = at.atZone(timeZone).toLocalDate();
        for (LocalDate day = today; !day.isBefore(today.minusDays(lookBackDays())); day = day.minusDays(1)) {
            final Window w = windowOn(day);
            if (w != null && w.contains(at)) {
                return w;
            }
        }
        return null;
    }

    /** The windows that open on a local day from {@code from}'s minus the longest window up to {@code to}'s, in order. */
    public List<Window> windowsAround(final Instant from, final Instant to) {
        final List<Window> out = new ArrayList<>();
        final LocalDate last = to.atZone(timeZone).toLocalDate();
        for (LocalDate day = from.atZone(timeZone).toLocalDate().minusDays(lookBackDays());
                !day.isAfter(last);
                day = day.plusDays(1)) {
            final Window w = windowOn(day);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    /** The window opening on a local day, or null when none opens that day. */
    Window windowOn(final LocalDate day) {
        if (every == Every.WEEKLY && !days.contains(day.getDayOfWeek())) {
            return null;
        }
        // ZonedDateTime.of moves a time in a gap forward by the gap, and takes the earlier offset in an overlap
        final Instant open = ZonedDateTime.of(day, start, timeZone).toInstant();
        return new Window(open, open.plus(duration));
    }

    /** Days back a window opened on may still be open: its duration in days, plus one for DST and midnight. */
    private long lookBackDays() {
        return duration.toDays() + 1;
    }
}
