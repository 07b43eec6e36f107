package io.incidentstream.config;

/** A setting is missing or malformed; the message names every bad variable. */
public final class ConfigException extends RuntimeException {
    public ConfigException(final String message) {
        super(message);
    }
}
