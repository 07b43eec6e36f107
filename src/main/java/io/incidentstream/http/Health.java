package io.incidentstream.http;

import java.util.Map;

/** What the health endpoints report; implemented over the streams lifecycle. */
public interface Health {

    /** False only when the process cannot recover by itself (streams in ERROR): restart it. */
    boolean live();

    /** True when requests can be answered: streams RUNNING and stores queryable. */
    boolean ready();

    /** A small JSON-able summary for the response body. */
    Map<String, Object> details();
}
