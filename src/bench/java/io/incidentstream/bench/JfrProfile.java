package io.incidentstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording's execution and allocation samples and ranks where the stream thread
 * spends its time: by leaf frame (self), by our own methods (inclusive: on the stack), and by
 * component (the first frame below the JDK's, walking from the leaf: Jackson, RocksDB, Kafka
 * clients, Streams' store layers, our code). Allocation samples are ranked by class and by our
 * innermost frame that allocated.
 */
final class JfrProfile {
    /** The stream thread's name contains this (Kafka Streams names them {@code <client>-StreamThread-<n>}). */
    static final String STREAM_THREAD = "StreamThread";

    record Entry(String name, double share) {}

    record Summary(
            long samples,
            long streamThreadSamples,
            long truncated,
            List<Entry> threads,
            List<Entry> components,
            List<Entry> self,
            List<Entry> inclusive,
            List<Entry> ours,
            long nativeSamples,
            List<Entry> nativeFrames,
            List<Entry> allocatedClasses,
            List<Entry> allocatingFrames,
            double recordingSeconds,
            double gcPauseSeconds) {}

    private JfrProfile() {}

    /** {@code JfrProfile <recording.jfr>}: the profile section of RESULTS.md for any recording of a Streams app. */
    public static void main(final String[] args) throws IOException {
        System.out.print(Report.profileMarkdown(analyse(Path.of(args[0]), 15)));
    }

    static Summary analyse(final Path recording, final int top) throws IOException {
        final Map<String, Long> threads = new HashMap<>();
        final Map<String, Long> components = new HashMap<>();
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        final Map<String, Long> ours = new HashMap<>();
        final Map<String, Long> nativeFrames = new HashMap<>();
        final Map<String, Long> allocClasses = new HashMap<>();
        final Map<String, Long> allocFrames = new HashMap<>();
        long samples = 0;
        long stream = 0;
        long allocTotal = 0;
        long truncated = 0;
        long natives = 0;
        long gcPauseNanos = 0;
        java.time.Instant first = null;
        java.time.Instant last = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                final RecordedEvent e = file.readEvent();
                final String type = e.getEventType().getName();
                first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
                if ("jdk.ExecutionSample".equals(type)) {
                    samples++;
                    final String thread = threadName(e.getThread("sampledThread"));
                    threads.merge(threadGroup(thread), 1L, Long::sum);
                    if (!thread.contains(STREAM_THREAD) || e.getStackTrace() == null) {
                        continue;
                    }
                    stream++;
                    final List<RecordedFrame> frames = e.getStackTrace().getFrames();
                    if (frames.isEmpty()) {
                        continue;
                    }
                    truncated += e.getStackTrace().isTruncated() ? 1 : 0;
                    self.merge(name(frames.get(0)) + "  ← " + callers(frames), 1L, Long::sum);
                    components.merge(component(frames), 1L, Long::sum);
                    final Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        final String n = name(f);
                        if (!seen.add(n)
                                || n.contains("$$Lambda")
                                || isJdk(f.getMethod().getType().getName())) {
                            continue;
                        }
                        inclusive.merge(n, 1L, Long::sum);
                        if (n.startsWith("io.incidentstream.")) {
                            ours.merge(n, 1L, Long::sum);
                        }
                    }
                } else if ("jdk.NativeMethodSample".equals(type)) {
                    if (threadName(e.getThread("sampledThread")).contains(STREAM_THREAD)
                            && e.getStackTrace() != null
                            && !e.getStackTrace().getFrames().isEmpty()) {
                        natives++;
                        final List<RecordedFrame> frames = e.getStackTrace().getFrames();
                        nativeFrames.merge(name(frames.get(0)) + "  ← " + callers(frames), 1L, Long::sum);
                    }
                } else if ("jdk.GarbageCollection".equals(type)) {
                    gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                } else if ("jdk.ObjectAllocationSample".equals(type)
                        && threadName(e.getThread("eventThread")).contains(STREAM_THREAD)) {
                    final long weight = e.getLong("weight");
                    allocTotal += weight;
                    allocClasses.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                    allocFrames.merge(ourFrame(e.getStackTrace()), weight, Long::sum);
                }
            }
        }
        // Frames on (nearly) every stack, such as StreamThread.run, say nothing: leave them out.
        final long streamSamples = stream;
        inclusive.values().removeIf(v -> v > 0.9 * streamSamples);
        final double seconds =
                first == null ? 0 : java.time.Duration.between(first, last).toNanos() / 1e9;
        return new Summary(
                samples,
                stream,
                truncated,
                ranked(threads, samples, top),
                ranked(components, stream, top),
                ranked(self, stream, top),
                ranked(inclusive, stream, 2 * top),
                ranked(ours, stream, top),
                natives,
                ranked(nativeFrames, natives, 5),
                ranked(allocClasses, allocTotal, top),
                ranked(allocFrames, allocTotal, top),
                seconds,
                gcPauseNanos / 1e9);
    }

    private static String threadName(final RecordedThread t) {
        return t == null || t.getJavaName() == null ? "?" : t.getJavaName();
    }

    /** Thread names without their numbers and client ids, so that similar threads add up. */
    private static String threadGroup(final String thread) {
        if (thread.contains(STREAM_THREAD)) {
            return "stream thread";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer network thread";
        }
        return thread.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>").replaceAll("\\d+", "N");
    }

    private static String name(final RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The nearest two callers that are not the JDK's, so a hot JDK leaf says whose it is. */
    private static String callers(final List<RecordedFrame> frames) {
        final List<String> out = new ArrayList<>();
        for (int i = 1; i < frames.size() && out.size() < 2; i++) {
            final String cls = frames.get(i).getMethod().getType().getName();
            if (!isJdk(cls)) {
                out.add(cls.substring(cls.lastIndexOf('.') + 1) + "."
                        + frames.get(i).getMethod().getName());
            }
        }
        return String.join(" ← ", out);
    }

    private static boolean isJdk(final String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.");
    }

    /** The component a sample belongs to: the first frame from the leaf that is not the JDK's. */
    static String component(final List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            final String cls = f.getMethod().getType().getName();
            if (isJdk(cls)) {
                continue;
            }
            return componentOf(cls);
        }
        return "JDK only (GC, runtime)";
    }

    static String componentOf(final String cls) {
        if (cls.startsWith("com.fasterxml.jackson.")) {
            return "Jackson (JSON)";
        }
        if (cls.startsWith("org.rocksdb.")) {
            return "RocksDB (JNI)";
        }
        if (cls.startsWith("org.apache.kafka.streams.state.")
                || cls.startsWith("org.apache.kafka.streams.kstream.internals.Timestamped")) {
            return "Streams stores, caches, serdes";
        }
        if (cls.startsWith("org.apache.kafka.common.compress")
                || cls.startsWith("net.jpountz")
                || cls.startsWith("org.apache.kafka.common.record")) {
            return "Kafka records, compression";
        }
        if (cls.startsWith("org.apache.kafka.clients.producer")) {
            return "Kafka producer";
        }
        if (cls.startsWith("org.apache.kafka.clients.consumer")) {
            return "Kafka consumer";
        }
        if (cls.startsWith("org.apache.kafka.streams.")) {
            return "Streams runtime";
        }
        if (cls.startsWith("org.apache.kafka.")) {
            return "Kafka other";
        }
        if (cls.startsWith("io.incidentstream.")) {
            return "incident-stream code";
        }
        if (cls.startsWith("io.micrometer.")) {
            return "Micrometer";
        }
        return "other (" + cls.replaceAll("\\.[A-Z].*", "") + ")";
    }

    private static String ourFrame(final RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        for (RecordedFrame f : stack.getFrames()) {
            if (f.getMethod().getType().getName().startsWith("io.incidentstream.")) {
                return name(f);
            }
        }
        return "(outside incident-stream code)";
    }

    private static List<Entry> ranked(final Map<String, Long> counts, final long total, final int top) {
        final List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        final Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.put(e.getKey(), total == 0 ? 0 : 100.0 * e.getValue() / total);
        }
        return out.entrySet().stream()
                .map(e -> new Entry(e.getKey(), e.getValue()))
                .toList();
    }
}
