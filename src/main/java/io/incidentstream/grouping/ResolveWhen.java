package io.incidentstream.grouping;

import java.util.Locale;

/** When the alerts of a grouped incident resolve it. */
public enum ResolveWhen {
    /** Every member resolved or expired. */
    ALL,
    /** The first member that resolves. */
    FIRST,
    /** Never by its alerts: only a person (or the expiry of every member). */
    NEVER;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ResolveWhen parse(final String text) {
        for (ResolveWhen r : values()) {
            if (r.json().equals(text)) {
                return r;
            }
        }
        return null;
    }
}
