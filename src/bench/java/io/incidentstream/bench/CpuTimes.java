package io.incidentstream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far, read at the start and the end of a timed window: the app's process and this
 * harness's process ({@code /proc/<pid>/stat}: user + system, in clock ticks of 10 ms), some threads
 * of this JVM (the stream clients, by {@link ThreadMXBean}, so their cost can be told apart from the
 * broker's and the producer's, which share the process), and the whole machine ({@code /proc/stat},
 * every process of every agent on it).
 */
record CpuTimes(
        double appSeconds,
        double appSystemSeconds,
        double harnessSeconds,
        double threadSeconds,
        double machineBusySeconds) {
    private static final double TICK = 0.01;

    static CpuTimes now(final long appPid, final List<Thread> threads) throws IOException {
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long threadNanos = 0;
        for (Thread t : threads) {
            final long ns = mx.getThreadCpuTime(t.getId());
            threadNanos += Math.max(0, ns);
        }
        return new CpuTimes(
                appPid < 0 ? 0 : processTicks(appPid) * TICK,
                appPid < 0 ? 0 : systemTicks(appPid) * TICK,
                processTicks(ProcessHandle.current().pid()) * TICK,
                threadNanos / 1e9,
                machineBusyTicks() * TICK);
    }

    /** What was used between {@code start} and this. */
    CpuTimes since(final CpuTimes start) {
        return new CpuTimes(
                appSeconds - start.appSeconds,
                appSystemSeconds - start.appSystemSeconds,
                harnessSeconds - start.harnessSeconds,
                threadSeconds - start.threadSeconds,
                machineBusySeconds - start.machineBusySeconds);
    }

    /** utime + stime of a process (fields 14 and 15 of /proc/pid/stat, after the command in parentheses). */
    private static long processTicks(final long pid) throws IOException {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** stime of a process: its time in the kernel (socket writes …). */
    private static long systemTicks(final long pid) throws IOException {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(f[12]);
    }

    /** Every tick of every CPU not idle or waiting for I/O ({@code cpu} line of /proc/stat). */
    private static long machineBusyTicks() throws IOException {
        final String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII)
                .get(0);
        final String[] f = first.trim().split("\\s+", -1);
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }
}
