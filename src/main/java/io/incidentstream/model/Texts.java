package io.incidentstream.model;

/** Caller input echoed in messages is cut short: an error message must not become a copy of a huge value. */
public final class Texts {
    private static final String ELLIPSIS = "…";
    private static final int MAX_ECHO = 40;
    private static final int MAX_ID_ECHO = 80;

    private Texts() {}

    /** A field name, value or parameter as shown in a message: at most 40 characters, then "…". */
    public static String abbreviate(final String text) {
        return cut(text, MAX_ECHO);
    }

    /** An id as shown in a message: at most 80 characters, then "…". */
    public static String abbreviateId(final String id) {
        return cut(id, MAX_ID_ECHO);
    }

    private static String cut(final String text, final int max) {
        return text.length() <= max ? text : text.substring(0, max) + ELLIPSIS;
    }
}
