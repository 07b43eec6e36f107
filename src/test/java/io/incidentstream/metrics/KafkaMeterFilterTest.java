package io.incidentstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.junit.jupiter.api.Test;

class KafkaMeterFilterTest {
    private final KafkaMeterFilter filter = new KafkaMeterFilter();

    private MeterFilterReply reply(final String name) {
        return filter.accept(new Meter.Id(name, Tags.empty(), null, null, Meter.Type.GAUGE));
    }

    @Test
    void shouldDropPerStoreInternalsButKeepSizeStallsErrorsAndRestore() {
        assertEquals(MeterFilterReply.DENY, reply("kafka.stream.state.get.rate"));
        assertEquals(MeterFilterReply.DENY, reply("kafka.stream.state.memtable.hit.ratio"));
        for (String kept : KafkaMeterFilter.KEPT_STORE_METRICS) {
            assertEquals(MeterFilterReply.NEUTRAL, reply(kept), kept);
        }
        assertEquals(MeterFilterReply.NEUTRAL, reply("kafka.stream.state.updater.restore.records.rate"));
    }

    @Test
    void shouldLeaveEverythingElseAlone() {
        assertEquals(MeterFilterReply.NEUTRAL, reply("kafka.consumer.fetch.manager.records.lag"));
        assertEquals(MeterFilterReply.NEUTRAL, reply("kafka.stream.thread.process.rate"));
        assertEquals(MeterFilterReply.NEUTRAL, reply("alerts.consumed"));
    }
}
