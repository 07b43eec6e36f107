package io.incidentstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Collects the scenarios' results and renders them three ways: the figures against the issue's
 * targets (a table), the one-line {@code BENCH …} summary, and bench/RESULTS.md with the machine,
 * the versions, the method and every figure. A scenario that did not run shows {@code na}.
 */
final class Report {
    private final Bench.Sizes sizes;
    private final String command;
    private final Instant started = Instant.now();
    private final String loadAtStart = loadAverage();
    private IngestScenario.Result ingest;
    private JfrProfile.Summary profile;
    private ExpiryScenario.Result expirySmall;
    private ExpiryScenario.Result expiryBig;
    private ListScenario.Result list;
    private PeerScenario.Result peer;
    private LiveScenario.Result live;
    private NotifyScenario.Result notify;
    private GroupedScenario.Result grouped;

    Report(final Bench.Sizes sizes, final String command) {
        this.sizes = sizes;
        this.command = command;
    }

    void ingest(final IngestScenario.Result r) {
        this.ingest = r;
    }

    void grouped(final GroupedScenario.Result r) {
        this.grouped = r;
    }

    Path ingestProfile() {
        return ingest == null ? null : ingest.profile();
    }

    void profile(final JfrProfile.Summary s) {
        this.profile = s;
    }

    void expiry(final ExpiryScenario.Result small, final ExpiryScenario.Result big) {
        this.expirySmall = small;
        this.expiryBig = big;
    }

    void list(final ListScenario.Result r) {
        this.list = r;
    }

    void peer(final PeerScenario.Result r) {
        this.peer = r;
    }

    void notify(final NotifyScenario.Result r) {
        this.notify = r;
    }

    void live(final LiveScenario.Result r) {
        this.live = r;
    }

    /** A figure, its target, and whether it meets it. */
    record Figure(String key, double value, String format, String target, Boolean met) {
        String text() {
            return Double.isNaN(value) ? "na" : String.format(Locale.ROOT, format, value);
        }

        String verdict() {
            return met == null ? "" : Double.isNaN(value) ? "not measured" : met ? "met" : "NOT met";
        }
    }

    List<Figure> figures() {
        final double ingestRatio = ingest == null ? Double.NaN : ingest.ratio(IngestScenario.EOS);
        final double ingestPerS = ingest == null ? Double.NaN : ingest.mean("topology", IngestScenario.EOS);
        final double passPerS = ingest == null ? Double.NaN : ingest.mean("passthrough", IngestScenario.EOS);
        final double floorPerS = ingest == null ? Double.NaN : ingest.mean("floor", IngestScenario.EOS);
        final double floorRatio = ingest == null ? Double.NaN : ingest.floorRatio(IngestScenario.EOS);
        final double first = list == null ? Double.NaN : list.first().p99();
        final double deep = list == null ? Double.NaN : list.deep().p99();
        final double filtered = list == null ? Double.NaN : list.filtered().p99();
        final double labeled = list == null ? Double.NaN : list.labeled().p99();
        final double labeledDeep =
                list == null ? Double.NaN : list.labeledDeep().p99();
        final double regex = list == null ? Double.NaN : list.regex().p99();
        final double expiry =
                expirySmall == null ? Double.NaN : expiryBig.medianTimerMs() / expirySmall.medianTimerMs();
        final double rss = list == null ? Double.NaN : list.rssMib();
        final double incidents = list == null ? sizes.incidents() : list.incidents();
        final double amIngest = peer == null ? Double.NaN : peer.oursPerSecond() / peer.theirsPerSecond();
        final double amList = peer == null
                ? Double.NaN
                : peer.theirsList().p50() / peer.oursList().p50();
        final List<Figure> f = new ArrayList<>();
        f.add(new Figure("ingest_ratio", ingestRatio, "%.2f", ">= 0.6", ingestRatio >= 0.6));
        f.add(new Figure("ingest_per_s", ingestPerS, "%.0f", "", null));
        f.add(new Figure("passthrough_per_s", passPerS, "%.0f", "", null));
        f.add(new Figure("list_first_p99_ms", first, "%.2f", "<= 20", first <= 20));
        f.add(new Figure("list_deep_p99_ms", deep, "%.2f", "", null));
        f.add(new Figure("deep_first_ratio", deep / first, "%.2f", "<= 1.5", deep / first <= 1.5));
        f.add(new Figure("filtered_p99_ms", filtered, "%.2f", "<= 2 x first", filtered <= 2 * first));
        f.add(new Figure("expiry_ratio", expiry, "%.2f", "<= 2", expiry <= 2));
        f.add(new Figure("rss_mb", rss, "%.0f", "<= 1500 at 1M", incidents >= 1_000_000 ? rss <= 1500 : null));
        f.add(new Figure("incidents", incidents, "%.0f", "", null));
        f.add(new Figure("am_ingest_ratio", amIngest, "%.2f", ">= 1.0", amIngest >= 1.0));
        f.add(new Figure("am_list_ratio", amList, "%.2f", ">= 10", amList >= 10));
        f.add(new Figure("label_p99_ms", labeled, "%.2f", "<= 2 x first", labeled <= 2 * first));
        f.add(new Figure("label_deep_p99_ms", labeledDeep, "%.2f", "<= 2 x first", labeledDeep <= 2 * first));
        f.add(new Figure("label_regex_p99_ms", regex, "%.2f", "", null));
        f.add(new Figure("floor_per_s", floorPerS, "%.0f", "", null));
        f.add(new Figure("floor_ratio", floorRatio, "%.2f", ">= 0.8", floorRatio >= 0.8));
        f.add(new Figure(
                "floor_json_per_s",
                ingest == null ? Double.NaN : ingest.mean("floor-json", IngestScenario.EOS),
                "%.0f",
                "",
                null));
        f.add(new Figure(
                "floor_ratio_ceiling",
                ingest == null ? Double.NaN : ingest.floorCeiling(IngestScenario.EOS),
                "%.2f",
                "",
                null));
        final double liveRatio = live == null ? Double.NaN : live.ratio();
        final double liveDelay = live == null ? Double.NaN : live.delay().p99();
        f.add(new Figure("live_ingest_ratio", liveRatio, "%.2f", ">= 0.9", liveRatio >= 0.9));
        f.add(new Figure("live_ingest_per_s", live == null ? Double.NaN : live.perSecondWith(), "%.0f", "", null));
        f.add(new Figure("live_delay_p99_ms", liveDelay, "%.1f", "", null));
        f.add(new Figure("live_drops", live == null ? Double.NaN : live.droppedClients(), "%.0f", "", null));
        final double notifyRatio = notify == null ? Double.NaN : notify.ratio();
        f.add(new Figure("notify_ingest_ratio", notifyRatio, "%.2f", ">= 0.9", notifyRatio >= 0.9));
        f.add(new Figure(
                "notify_ingest_per_s", notify == null ? Double.NaN : notify.perSecondWith(), "%.0f", "", null));
        f.add(new Figure(
                "notify_delay_p99_ms",
                notify == null ? Double.NaN : notify.delay().p99(),
                "%.1f",
                "",
                null));
        final double groupedRatio = grouped == null ? Double.NaN : grouped.ratio();
        final double groupedListRatio = grouped == null ? Double.NaN : grouped.listRatio();
        f.add(new Figure("grouped_ingest_ratio", groupedRatio, "%.2f", ">= 0.8", groupedRatio >= 0.8));
        f.add(new Figure(
                "grouped_list_p99_ms",
                grouped == null ? Double.NaN : grouped.groupedList().first().p99(),
                "%.2f",
                "",
                null));
        f.add(new Figure("grouped_list_ratio", groupedListRatio, "%.2f", "", null));
        f.add(new Figure("grouped_floor_ratio", grouped == null ? Double.NaN : grouped.floorRatio(), "%.2f", "", null));
        f.add(new Figure("grouped_ratio_ceiling", grouped == null ? Double.NaN : grouped.ceiling(), "%.2f", "", null));
        return f;
    }

    String benchLine() {
        final StringBuilder s = new StringBuilder("BENCH");
        for (Figure f : figures()) {
            s.append(' ').append(f.key()).append('=').append(f.text());
        }
        return s.toString();
    }

    String table() {
        final StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "%n%-20s %12s  %-16s %s%n",
                "figure (" + sizes.mode().split(" ", -1)[0] + ")",
                "value",
                "target",
                ""));
        for (Figure f : figures()) {
            s.append(String.format(Locale.ROOT, "%-20s %12s  %-16s %s%n", f.key(), f.text(), f.target(), f.verdict()));
        }
        if (ingest != null) {
            s.append(String.format(
                    Locale.ROOT,
                    "ingest at_least_once: topology %.0f/s, passthrough %.0f/s, ratio %.2f; minimal fold %.0f/s,"
                            + " floor ratio %.2f; with the JSON codec %.0f/s, ceiling %.2f%n",
                    ingest.mean("topology", IngestScenario.ALOS),
                    ingest.mean("passthrough", IngestScenario.ALOS),
                    ingest.ratio(IngestScenario.ALOS),
                    ingest.mean("floor", IngestScenario.ALOS),
                    ingest.floorRatio(IngestScenario.ALOS),
                    ingest.mean("floor-json", IngestScenario.ALOS),
                    ingest.floorCeiling(IngestScenario.ALOS)));
        }
        if (grouped != null) {
            s.append(String.format(
                    Locale.ROOT,
                    "grouped (rule by host, ~8 alerts an incident, exactly_once_v2): grouped %.0f/s, ungrouped %.0f/s,"
                            + " ratio %.2f (target >= 0.80); list first page p99 %.2f ms grouped, %.2f ms ungrouped%n",
                    grouped.mean("grouped"),
                    grouped.mean("ungrouped"),
                    grouped.ratio(),
                    grouped.groupedList().first().p99(),
                    grouped.ungroupedList().first().p99()));
        }
        if (list != null) {
            s.append(String.format(
                    Locale.ROOT,
                    "list p50: first %.2f ms, deep %.2f ms, filtered %.2f ms%n",
                    list.first().p50(),
                    list.deep().p50(),
                    list.filtered().p50()));
        }
        if (profile != null && !profile.components().isEmpty()) {
            s.append("stream thread by component: ");
            s.append(String.join(
                            ", ",
                            profile.components().stream()
                                    .limit(5)
                                    .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.name(), e.share()))
                                    .toList()))
                    .append('\n');
        }
        return s.toString();
    }

    String markdown() {
        final StringBuilder s = new StringBuilder();
        s.append("# Benchmark results\n\n");
        s.append("Written by `")
                .append(command)
                .append("` (the benchmark harness, src/bench/java); rerun it to replace this file. ")
                .append(
                        "Absolute figures drift with whatever else the machine runs; the ratios were measured side by side ")
                .append("in one run and are what to compare.\n\n");
        s.append("| | |\n|---|---|\n");
        row(
                s,
                "date",
                started.truncatedTo(ChronoUnit.SECONDS) + " – " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        row(s, "mode", sizes.mode());
        row(s, "machine", machine());
        row(s, "load average (1/5/15 min) at start, at end", loadAtStart + "; " + loadAverage());
        row(s, "other work", System.getenv().getOrDefault("BENCH_NOTE", "not stated (see the load average)"));
        row(s, "JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        row(s, "Kafka", AppInfoParser.getVersion() + " (clients, Streams and the embedded KRaft broker)");
        row(s, "Alertmanager", peer == null ? "not run" : peer.amVersion());
        row(s, "command", "`" + command + "`");
        row(
                s,
                "application settings",
                sizes.appEnv().isEmpty()
                        ? "the defaults (README), nothing overridden"
                        : "**overridden** for every instance and ingest run: `" + sizes.appEnv() + "`");
        s.append("\n## Figures against the targets\n\n| figure | value | target | |\n|---|---|---|---|\n");
        for (Figure f : figures()) {
            s.append("| `")
                    .append(f.key())
                    .append("` | ")
                    .append(f.text())
                    .append(" | ")
                    .append(f.target().replace("<=", "≤").replace(">=", "≥"))
                    .append(" | ")
                    .append(f.verdict())
                    .append(" |\n");
        }
        s.append("\n```\n").append(benchLine()).append("\n```\n");
        ingestSection(s);
        listSection(s);
        expirySection(s);
        peerSection(s);
        liveSection(s);
        notifySection(s);
        groupedSection(s);
        profileSection(s);
        s.append("\n## Sizes and settings of this run\n\n`").append(sizes).append("`\n");
        return s.toString();
    }

    private void ingestSection(final StringBuilder s) {
        if (ingest == null) {
            return;
        }
        s.append("\n## 1. Ingest\n\n");
        s.append(String.format(
                Locale.ROOT,
                "%,d alert events (%,d distinct alerts, mean %d bytes of JSON, 10%% RESOLVED, 2%% out "
                        + "of order), pre-produced in %.1f s to `alerts` (%d partitions, key `tenantId/alertId`, lz4), then consumed from the "
                        + "beginning by one fresh Kafka Streams application at a time, each in its own JVM (`-Xmx%s`), built by "
                        + "`StreamsRunner` with the production properties; the passthrough is `stream(alerts).to(out)` with byte serdes; the minimal fold (the floor) is one processor "
                        + "with one persistent, changelogged, uncached store keyed by the alert key, one get and one put of a "
                        + "value the size of a stored incident and one output record per event; the minimal fold with the "
                        + "JSON codec (`floor-json`) also decodes each alert with the production decoder and writes the "
                        + "production JSON of the incident it opens as its output, the work no fold taking JSON alerts "
                        + "and publishing JSON incidents can skip, so `floor_ratio` cannot exceed its rate over the "
                        + "minimal fold's (`floor_ratio_ceiling`; the minimal folds need 1M events or more to be "
                        + "measured warm: at the quick size they run for a few seconds, much of it JIT warm-up). "
                        + "records/s from the first poll to the end: under exactly_once_v2 the committed offsets reaching the end of "
                        + "`alerts` (committed together with every output and changelog write); under at_least_once (30 s commit "
                        + "interval) the stream thread's `process-total` reaching the record count, so the topology's last cache flush "
                        + "is not in that figure.\n\n",
                ingest.events(),
                ingest.distinct(),
                ingest.meanBytes(),
                ingest.produceSeconds(),
                Bench.PARTITIONS,
                sizes.ingestXmx()));
        s.append(
                "| guarantee | topology records/s | passthrough records/s | ratio | minimal fold records/s | floor ratio"
                        + " | minimal fold with JSON codec records/s | floor ratio ceiling |");
        s.append("\n|---|---|---|---|---|---|---|---|\n");
        for (String g : List.of(IngestScenario.EOS, IngestScenario.ALOS)) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %.2f | %,.0f | %.2f | %,.0f | %.2f |%n",
                    g,
                    ingest.mean("topology", g),
                    ingest.mean("passthrough", g),
                    ingest.ratio(g),
                    ingest.mean("floor", g),
                    ingest.floorRatio(g),
                    ingest.mean("floor-json", g),
                    ingest.floorCeiling(g)));
        }
        s.append("\nEach run:\n\n| variant | guarantee | round | seconds | records/s |\n|---|---|---|---|---|\n");
        for (IngestScenario.Run r : ingest.runs()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.2f | %,.0f |%n",
                    r.variant(),
                    r.guarantee(),
                    r.round(),
                    r.seconds(),
                    r.perSecond()));
        }
        s.append("\nWhat the topology did with the set (`alerts.consumed` by outcome): `")
                .append(ingest.outcomes())
                .append("`\n");
    }

    private void expirySection(final StringBuilder s) {
        if (expirySmall == null) {
            return;
        }
        s.append("\n## 3. Expiry\n\n");
        s.append(
                        "The real topology in a `TopologyTestDriver` over real RocksDB stores (one partition holding the whole store) with the application's Kafka Streams properties (`StreamsRunner.properties`: RocksDB memory bounded by `ROCKSDB_MEMORY`, the record cache only in front of the counters and command results), ")
                .append(
                        "1,000 due incidents spread evenly through it per sweep; the mocked wall clock fires the real expiry ")
                .append(
                        "punctuation once per step. *Sweep* = increase of the `incidents.expiry.sweep` timer (the punctuation); ")
                .append(
                        "*with commit* = wall time of the step, including the commit that flushes the cache to RocksDB. ")
                .append(
                        "The first sweep warms up and is not counted; medians of the others. `expiry_ratio` uses the sweep.\n\n");
        s.append(
                "| store | load s | sweeps (ms, sweep / with commit / expired) | median sweep ms | median with commit ms |\n|---|---|---|---|---|\n");
        for (ExpiryScenario.Result r : List.of(expirySmall, expiryBig)) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %,d | %.1f | %s | %.2f | %.2f |%n",
                    r.storeSize(),
                    r.loadSeconds(),
                    String.join(
                            "; ",
                            r.sweeps().stream()
                                    .map(w -> String.format(
                                            Locale.ROOT, "%.1f / %.1f / %d", w.timerMs(), w.wallMs(), w.expired()))
                                    .toList()),
                    r.medianTimerMs(),
                    r.medianWallMs()));
        }
        s.append(String.format(
                Locale.ROOT,
                "%nRatio big/small: sweep %.2f, with commit %.2f.%n",
                expiryBig.medianTimerMs() / expirySmall.medianTimerMs(),
                expiryBig.medianWallMs() / expirySmall.medianWallMs()));
        s.append(String.format(
                Locale.ROOT,
                "%nRebuilding the list, expiry and retention indexes from the incidents afterwards "
                        + "(`IncidentStore.rebuildIndexes`, what a task does when it starts without a clean close under exactly-once; "
                        + "its partition answers 503 meanwhile): %,d incidents in %.2f s, %,d in %.2f s (%.1f µs per incident).%n",
                expirySmall.storeSize(),
                expirySmall.rebuildSeconds(),
                expiryBig.storeSize(),
                expiryBig.rebuildSeconds(),
                expiryBig.rebuildSeconds() * 1e6 / expiryBig.storeSize()));
    }

    private void listSection(final StringBuilder s) {
        if (list == null) {
            return;
        }
        s.append("\n## 2. List and 4. Memory\n\n");
        s.append(String.format(
                Locale.ROOT,
                "%,d distinct alerts produced to `alerts`, then `java -Xmx%s -jar target/incident-stream.jar` "
                        + "started on them against the bench broker (6 partitions, one instance, defaults otherwise): ready after %.1f s, "
                        + "all %,d incidents folded %.1f s after start. One keep-alive HTTP/1.1 connection; the three pages interleaved, "
                        + "%d times each after %d warm-up requests; every page checked to hold 100 incidents.%n%n",
                list.incidents(),
                list.xmx(),
                list.startToReadySeconds(),
                list.incidents(),
                list.loadSeconds(),
                sizes.listRepeats(),
                sizes.warmup()));
        s.append("| page | p50 ms | p99 ms |\n|---|---|---|\n");
        latencyRow(s, "first (`limit=100`)", list.first());
        latencyRow(s, "page " + sizes.deepPage() + " (`nextToken` found by paging there)", list.deep());
        latencyRow(s, "pages 1.." + (sizes.deepPage() - 1) + " while walking there", list.walk());
        latencyRow(
                s,
                String.format(
                        Locale.ROOT,
                        "filtered `severity=critical` (%,d matches, %.1f%%)",
                        list.filteredCount(),
                        100.0 * list.filteredCount() / list.incidents()),
                list.filtered());
        latencyRow(
                s,
                String.format(
                        Locale.ROOT,
                        "label `cell=cell-7`, indexed (%,d matches, %.1f%%): first page",
                        list.labeledCount(),
                        100.0 * list.labeledCount() / list.incidents()),
                list.labeled());
        latencyRow(s, "label `cell=cell-7`: page " + list.labeledDepth(), list.labeledDeep());
        latencyRow(
                s,
                String.format(
                        Locale.ROOT,
                        "label `cell=~cell-7`, a regex: one request, at most `LABEL_SCAN_BUDGET` (10,000) index entries"
                                + " read; %.1f matches per request (a short page carries a `nextToken`)",
                        list.regexMatchesPerRequest()),
                list.regex());
        s.append(String.format(
                Locale.ROOT,
                "%ndeep/first: p99 %.2f, p50 %.2f. filtered/first: p99 %.2f, p50 %.2f.%n",
                list.deep().p99() / list.first().p99(),
                list.deep().p50() / list.first().p50(),
                list.filtered().p99() / list.first().p99(),
                list.filtered().p50() / list.first().p50()));
        s.append(String.format(
                Locale.ROOT,
                "%nMemory of the app process (`/proc/<pid>/status`, `-Xmx%s`, RocksDB bounded by `ROCKSDB_MEMORY` (default 256 MiB, `BoundedRocksDbMemory`), 10 MiB record cache): "
                        + "VmRSS %,d MiB after loading, **%,d MiB** after the list queries (`rss_mb`), peak VmHWM %,d MiB; JVM heap in use "
                        + "%.0f MiB.%n",
                list.xmx(),
                list.rssAfterLoadMib(),
                list.rssMib(),
                list.peakRssMib(),
                list.heapUsedMib()));
    }

    private void liveSection(final StringBuilder s) {
        if (live == null) {
            return;
        }
        s.append("\n## 6. Live stream: ingest with stream clients\n\n");
        s.append(String.format(
                Locale.ROOT,
                "The app (the jar, `-Xmx%s`, its own broker each time) ingests %,d events produced to `alerts` while "
                        + "it runs, once with no stream client and once with %d clients reading `GET /incidents/stream` "
                        + "(threads of the harness, on the same cores; CPU below). Then %d alerts are posted one by one; each is timed "
                        + "from the harness's own read-committed consumer of `incidents` seeing it (the commit) to each "
                        + "client receiving it.%n%n",
                sizes.appXmx(),
                live.events(),
                LiveScenario.CLIENTS,
                LiveScenario.PROBES));
        s.append("| | no client | 100 clients | ratio |\n|---|---|---|---|\n");
        s.append(String.format(
                Locale.ROOT,
                "| ingest events/s | %,.0f | %,.0f | %.2f |%n",
                live.perSecondWithout(),
                live.perSecondWith(),
                live.ratio()));
        s.append(String.format(
                Locale.ROOT,
                "%ndelay commit → client: %s over all clients and probes; every client received at least %,d events; "
                        + "%.0f times a client was dropped as too slow (it reconnected with `Last-Event-ID`).%n",
                live.delay(),
                live.eventsPerClient(),
                live.droppedClients()));
        s.append(String.format(
                Locale.ROOT,
                "%nCPU seconds over the timed ingest (user + system, `/proc`; the clients' thread by `ThreadMXBean`):%n%n"
                        + "| | no client | 100 clients |%n|---|---|---|%n"
                        + "| timed ingest, s | %.1f | %.1f |%n"
                        + "| app process | %.1f | %.1f |%n"
                        + "| of which in the kernel (system time) | %.1f | %.1f |%n"
                        + "| harness process: broker, producer, clients | %.1f | %.1f |%n"
                        + "| of which the 100 clients' thread | | %.1f |%n"
                        + "| whole machine (every process of every agent) | %.1f | %.1f |%n"
                        + "%nThe clients read the stream as cheaply as a client can (`StreamClients`: one thread with a selector for all 100, "
                        + "non-blocking sockets, 64 KiB reads, each line scanned only for `id:` and `data:`, the "
                        + "JSON skipped undecoded, except while the probes run, when each data line is searched "
                        + "for the probe); they read %,.0f MB in the timed ingest.%n",
                live.seconds(),
                live.secondsWith(),
                live.cpuWithout().appSeconds(),
                live.cpuWith().appSeconds(),
                live.cpuWithout().appSystemSeconds(),
                live.cpuWith().appSystemSeconds(),
                live.cpuWithout().harnessSeconds(),
                live.cpuWith().harnessSeconds(),
                live.cpuWith().threadSeconds(),
                live.cpuWithout().machineBusySeconds(),
                live.cpuWith().machineBusySeconds(),
                live.clientBytes() / 1e6));
    }

    private void groupedSection(final StringBuilder s) {
        if (grouped == null) {
            return;
        }
        s.append("\n## 8. Grouping: ingest and list with a grouping rule\n\n");
        s.append(String.format(
                Locale.ROOT,
                "The %,d events of scenario 1's set, folded by fresh Kafka Streams applications as in scenario 1 "
                        + "(exactly_once_v2, `-Xmx%s`), alternating with no grouping rule and with the rule `%s` "
                        + "(8 alerts a host): %.2f of the ungrouped rate (`grouped_ingest_ratio`, target ≥ 0.8).%n%n",
                grouped.events(),
                sizes.ingestXmx(),
                GroupedScenario.RULE,
                grouped.ratio()));
        s.append(String.format(
                Locale.ROOT,
                "Each round also runs the minimal durable fold of scenario 1 twice, decoding each alert with the"
                        + " production decoder and writing, with the production serializer, one of that round's"
                        + " `incidents` records of about their mean size: `floor` one of the ungrouped topology's (mean"
                        + " %,d bytes), `floor-grouped` one of the grouped topology's (mean %,d bytes: the incident with"
                        + " its members and timeline), each event first keyed by its host and re-keyed through a"
                        + " repartition topic unless that key's partition is its own, as the topology's re-key step"
                        + " does; the store value is the same in both (an ungrouped incident's size). `floor-wide`"
                        + " writes the grouped record without the re-key (%,.0f/s against `floor`'s %,.0f/s and"
                        + " `floor-grouped`'s %,.0f/s). The grouped minimal fold runs at %.2f of the"
                        + " ungrouped one (`grouped_floor_ratio`); adding what a grouped event costs it beyond an"
                        + " ungrouped one to the ungrouped topology's cost per event caps `grouped_ingest_ratio` at"
                        + " %.2f (`grouped_ratio_ceiling`) for any fold that publishes each version of a grouped"
                        + " incident with its members as JSON and re-keys the alerts. At the quick size the minimal"
                        + " folds run for a few seconds, much of it JIT warm-up: take the ceiling from"
                        + " `--ingest-events 1000000`"
                        + " or more, where they run long enough to be measured warm.%n%n",
                grouped.outRecordBytes("ungrouped"),
                grouped.outRecordBytes("grouped"),
                grouped.mean("floor-wide"),
                grouped.mean("floor"),
                grouped.mean("floor-grouped"),
                grouped.floorRatio(),
                grouped.ceiling()));
        s.append("| variant | round | seconds | records/s | output record bytes |\n|---|---|---|---|---|\n");
        for (IngestScenario.Run r : grouped.runs()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %,.0f | %,d |%n",
                    r.variant(),
                    r.round(),
                    r.seconds(),
                    r.perSecond(),
                    GroupedScenario.Result.outRecordBytes(r)));
        }
        s.append(String.format(
                Locale.ROOT,
                "%nThen the jar (`-Xmx%s`) folded the same set twice, as two instances up side by side, one without "
                        + "the rule and one with it, and their pages were requested interleaved, %d times each after "
                        + "%d warm-up rounds:%n%n",
                sizes.appXmx(),
                sizes.listRepeats(),
                sizes.warmup()));
        s.append("| instance | incidents | first page bytes | first p50 ms | first p99 ms | `status=ACTIVE` p50 ms |"
                + " `status=ACTIVE` p99 ms |\n|---|---|---|---|---|---|---|\n");
        for (var e :
                List.of(Map.entry("ungrouped", grouped.ungroupedList()), Map.entry("grouped", grouped.groupedList()))) {
            final GroupedScenario.Listed l = e.getValue();
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %,d | %.2f | %.2f | %.2f | %.2f |%n",
                    e.getKey(),
                    l.incidents(),
                    l.firstPageBytes(),
                    l.first().p50(),
                    l.first().p99(),
                    l.active().p50(),
                    l.active().p99()));
        }
        s.append(String.format(
                Locale.ROOT,
                "%nfirst page p99, grouped / ungrouped: %.2f (`grouped_list_ratio`). A list page leaves out members"
                        + " (`GET /incidents/{id}/alerts` pages them), but each grouped incident it shows is read from"
                        + " the store with its members.%n",
                grouped.listRatio()));
    }

    private void notifySection(final StringBuilder s) {
        if (notify == null) {
            return;
        }
        s.append("\n## 7. Notifications: ingest with a webhook subscription\n\n");
        s.append(String.format(
                Locale.ROOT,
                "The app (the jar, `-Xmx%s`, its own broker each time) ingests %,d events produced to `alerts` while "
                        + "it runs, once with no webhook subscription and once with one (every event, no filter) to a "
                        + "receiver in the harness on loopback (HTTP/1.1, 204 at once). Then %d alerts are posted one by "
                        + "one; each is timed from the harness's own read-committed consumer of `incident-events` seeing "
                        + "its transition (the commit) to the receiver getting its `incident.opened`.%n%n",
                sizes.appXmx(),
                notify.events(),
                NotifyScenario.PROBES));
        s.append("| | no subscription | 1 subscription | ratio |\n|---|---|---|---|\n");
        s.append(String.format(
                Locale.ROOT,
                "| ingest events/s | %,.0f | %,.0f | %.2f |%n",
                notify.perSecondWithout(),
                notify.perSecondWith(),
                notify.ratio()));
        s.append(String.format(
                Locale.ROOT,
                "%ndelay commit → receiver: %s; %,d deliveries had arrived when ingest ended (%,.0f incidents opened).%n",
                notify.delay(),
                notify.deliveredDuringIngest(),
                notify.transitionsDuringIngest()));
    }

    private void peerSection(final StringBuilder s) {
        if (peer == null) {
            return;
        }
        s.append("\n## 5. Peer: Prometheus Alertmanager\n\n");
        s.append(String.format(
                Locale.ROOT,
                "The first %,d events of an alert set like scenario 1's, posted in batches of %d with %d "
                        + "requests in flight by the same JDK HttpClient, bodies built beforehand: to us as native JSON on `POST /alerts` "
                        + "(202 once the broker acknowledged; the app, `-Xmx%s`, on its own broker as in scenario 2), then, after our topology "
                        + "had applied them all, to %s (`--cluster.listen-address=` i.e. no HA, one route to a receiver without "
                        + "integrations) as postable alerts on `POST /api/v2/alerts`.%n%n",
                peer.events(),
                peer.batch(),
                peer.concurrency(),
                sizes.appXmx(),
                peer.amVersion()));
        s.append("| | incident-stream | Alertmanager | ratio |\n|---|---|---|---|\n");
        s.append(String.format(
                Locale.ROOT,
                "| ingest alerts/s | %,.0f | %,.0f | %.2f (ours/theirs) |%n",
                peer.oursPerSecond(),
                peer.theirsPerSecond(),
                peer.oursPerSecond() / peer.theirsPerSecond()));
        s.append(String.format(
                Locale.ROOT,
                "| active afterwards | %,d incidents ACTIVE | %,d alerts | |%n",
                peer.oursActive(),
                peer.theirsActive()));
        s.append(String.format(
                Locale.ROOT,
                "| list p50 ms | %.2f (first page, 100) | %.2f (`GET /api/v2/alerts`, all) | %.1f (theirs/ours) |%n",
                peer.oursList().p50(),
                peer.theirsList().p50(),
                peer.theirsList().p50() / peer.oursList().p50()));
        s.append(String.format(
                Locale.ROOT,
                "| list p99 ms | %.2f | %.2f | %.1f |%n",
                peer.oursList().p99(),
                peer.theirsList().p99(),
                peer.theirsList().p99() / peer.oursList().p99()));
        s.append(String.format(
                Locale.ROOT, "| RSS MiB afterwards | %,d | %,d | |%n", peer.oursRssMib(), peer.theirsRssMib()));
        s.append(String.format(
                Locale.ROOT,
                "%n`am_list_ratio` = p50 theirs / p50 ours, over %d interleaved requests each.%n",
                peer.oursList().count()));
    }

    private void profileSection(final StringBuilder s) {
        if (profile != null) {
            s.append(profileMarkdown(profile));
        }
    }

    /** The profile part of RESULTS.md; also what {@link JfrProfile#main} prints for any recording. */
    static String profileMarkdown(final JfrProfile.Summary profile) {
        final StringBuilder s = new StringBuilder();
        s.append("\n## Profile of the topology's ingest (JFR, exactly_once_v2)\n\n");
        s.append(String.format(
                Locale.ROOT,
                "An extra run of scenario 1's topology under exactly_once_v2 over the first records of the "
                        + "set (at most %,d) with `-XX:StartFlightRecording=settings=profile` and `stackdepth=512` (not counted above), "
                        + "%.0f s recorded: %,d "
                        + "execution samples (threads running Java code), %,d of them on the stream thread (%,d with truncated stacks); "
                        + "GC pauses %.2f s in all. Shares are of the stream thread's execution samples unless said otherwise.%n",
                IngestScenario.PROFILE_RECORDS,
                profile.recordingSeconds(),
                profile.samples(),
                profile.streamThreadSamples(),
                profile.truncated(),
                profile.gcPauseSeconds()));
        entries(s, "Threads (share of all execution samples)", profile.threads());
        entries(s, "Stream thread by component (first non-JDK frame from the leaf)", profile.components());
        entries(s, "Top frames (self), with their nearest non-JDK callers", profile.self());
        entries(s, "Frames on the stack (inclusive; frames on over 90% of stacks left out)", profile.inclusive());
        entries(s, "Our methods on the stack (inclusive)", profile.ours());
        entries(
                s,
                String.format(
                        Locale.ROOT,
                        "Stream thread in native code (%,d native-method samples, e.g. RocksDB JNI, share of those)",
                        profile.nativeSamples()),
                profile.nativeFrames());
        entries(s, "Allocation on the stream thread by class (sampled weight)", profile.allocatedClasses());
        entries(s, "Allocation on the stream thread by our innermost frame", profile.allocatingFrames());
        return s.toString();
    }

    private static void entries(final StringBuilder s, final String title, final List<JfrProfile.Entry> entries) {
        s.append("\n").append(title).append(":\n\n| | % |\n|---|---|\n");
        for (JfrProfile.Entry e : entries) {
            s.append(String.format(Locale.ROOT, "| `%s` | %.1f |%n", e.name(), e.share()));
        }
    }

    private static void latencyRow(final StringBuilder s, final String name, final Latencies l) {
        s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f |%n", name, l.p50(), l.p99()));
    }

    private static void row(final StringBuilder s, final String name, final String value) {
        s.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String machine() {
        final String cpu = firstLine(Path.of("/proc/cpuinfo"), "model name").replaceAll(".*:\\s*", "");
        final String mem = firstLine(Path.of("/proc/meminfo"), "MemTotal").replaceAll("MemTotal:\\s*", "");
        return String.format(
                Locale.ROOT,
                "%s, %d cores visible to the JVM, %s RAM, %s %s",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                mem,
                System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    private static String loadAverage() {
        return firstLine(Path.of("/proc/loadavg"), "").replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
    }

    private static String firstLine(final Path file, final String prefix) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst()
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
