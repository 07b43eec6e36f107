package io.incidentstream.testkit;

/** Long texts shortened for assertion and log messages, saying that they were. */
public final class Texts {
    private Texts() {}

    /** The first {@code max} characters of {@code text}, with an ellipsis if it was longer. */
    public static String abbreviate(final String text, final int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** The last {@code max} characters of {@code text}, after an ellipsis if it was longer. */
    public static String tail(final String text, final int max) {
        return text.length() <= max ? text : "…" + text.substring(text.length() - max);
    }
}
