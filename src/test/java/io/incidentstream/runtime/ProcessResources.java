package io.incidentstream.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What this JVM holds open, by kind, to tell a leak from a pool: live threads grouped by name with
 * the numbers taken out ({@code kafka-producer-network-thread | x-7} and {@code ...-9} are one kind),
 * file descriptors by what they point at ({@code socket}, {@code pipe}, {@code anon_inode}, RocksDB
 * {@code sst} files, other files), and Kafka Streams' open state-store iterators (its
 * {@code num-open-iterators} metric, read over JMX).
 */
record ProcessResources(Map<String, Integer> threads, Map<String, Integer> fds) {

    static ProcessResources now() throws IOException {
        final Map<String, Integer> threads = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                threads.merge(kind(t.getName()), 1, Integer::sum);
            }
        }
        final Map<String, Integer> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            entries.forEach(fd -> fds.merge(fdKind(fd), 1, Integer::sum));
        }
        return new ProcessResources(threads, fds);
    }

    int threadCount() {
        return threads.values().stream().mapToInt(Integer::intValue).sum();
    }

    int fdCount() {
        return fds.values().stream().mapToInt(Integer::intValue).sum();
    }

    int fds(final String kind) {
        return fds.getOrDefault(kind, 0);
    }

    /** Thread kinds with more threads now than in {@code before}, and by how many. */
    Map<String, Integer> moreThreadsThan(final ProcessResources before, final Set<String> pools) {
        final Map<String, Integer> more = new TreeMap<>();
        threads.forEach((kind, n) -> {
            final int extra = n - before.threads.getOrDefault(kind, 0);
            if (extra > 0 && pools.stream().noneMatch(kind::startsWith)) {
                more.put(kind, extra);
            }
        });
        return more;
    }

    /** Open iterators over every state store of every Kafka Streams client in this JVM. */
    static long openStoreIterators() throws Exception {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long open = 0;
        for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:type=stream-state-metrics,*"), null)) {
            try {
                final Object value = server.getAttribute(name, "num-open-iterators");
                open += ((Number) value).longValue();
            } catch (javax.management.AttributeNotFoundException e) {
                // a store-level MBean without the metric (other store types)
            }
        }
        return open;
    }

    /** How many store MBeans report {@code num-open-iterators}: zero would make {@link #openStoreIterators} meaningless. */
    static int iteratorGauges() throws Exception {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        int gauges = 0;
        for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:type=stream-state-metrics,*"), null)) {
            try {
                server.getAttribute(name, "num-open-iterators");
                gauges++;
            } catch (javax.management.AttributeNotFoundException e) {
                // not a key-value store
            }
        }
        return gauges;
    }

    private static String kind(final String threadName) {
        return threadName
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\\d+", "N");
    }

    private static String fdKind(final Path fd) {
        try {
            final String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:")) {
                return "socket";
            }
            if (target.startsWith("pipe:")) {
                return "pipe";
            }
            if (target.startsWith("anon_inode:")) {
                return "anon_inode";
            }
            return target.endsWith(".sst") ? "sst" : "file";
        } catch (IOException e) {
            return "gone"; // closed while listing (e.g. the directory stream's own descriptor)
        }
    }
}
