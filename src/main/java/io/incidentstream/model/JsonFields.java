package io.incidentstream.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * Fields for the hand-written serialisers ({@link IncidentJson}, {@link AlertEventJson}), named by
 * pre-encoded {@link SerializedString}s: the generator copies a name's bytes instead of escaping it
 * again on every write (a field name costs as much as a value to escape, and every incident written
 * to {@code incidents} has dozens).
 */
final class JsonFields {
    private JsonFields() {}

    /** The field, or nothing when {@code value} is null (the mapper's {@code NON_NULL} inclusion). */
    static void string(final JsonGenerator gen, final SerializedString name, final String value) throws IOException {
        if (value != null) {
            field(gen, name, value);
        }
    }

    static void field(final JsonGenerator gen, final SerializedString name, final String value) throws IOException {
        gen.writeFieldName(name);
        gen.writeString(value);
    }

    static void number(final JsonGenerator gen, final SerializedString name, final long value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }

    /** An int stays an int: a tree built from the writer ({@code valueToTree}) holds an int node, as Jackson's own. */
    static void number(final JsonGenerator gen, final SerializedString name, final int value) throws IOException {
        gen.writeFieldName(name);
        gen.writeNumber(value);
    }
}
