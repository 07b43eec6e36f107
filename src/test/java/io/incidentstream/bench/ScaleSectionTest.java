package io.incidentstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A scale run and a full run write one results file; each keeps the other's part. */
class ScaleSectionTest {
    @Test
    void shouldFindTheScaleRunsPartOnly() {
        final String section = Bench.SCALE_BEGIN + "\n\n## Scale\n| a | b |\n" + Bench.SCALE_END + "\n";
        assertEquals(section, Bench.scaleSection("# Benchmark results\n\n## 1. Ingest\n\n" + section));
        assertEquals(section, Bench.scaleSection("# Benchmark results\n\n" + section + "\n## after\n"));
        assertEquals("", Bench.scaleSection("# Benchmark results\n\n## 1. Ingest\n"));
        assertEquals("", Bench.scaleSection(Bench.SCALE_END + "\n" + Bench.SCALE_BEGIN));
    }
}
