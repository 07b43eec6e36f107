package io.incidentstream.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** Ports given as {@code 8080}, {@code 8080,8443} or {@code 8080-8089}: the ports peer calls may go to. */
public record PortRanges(List<int[]> ranges) implements IntPredicate {

    public static PortRanges single(final int port) {
        return new PortRanges(List.<int[]>of(new int[] {port, port}));
    }

    /** @throws IllegalArgumentException naming the part that is not a port or range */
    static PortRanges parse(final String text) {
        final List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            final String p = part.trim();
            final int dash = p.indexOf('-');
            try {
                final int from =
                        Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                final int to =
                        dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 1 || to > 65535 || from > to) {
                    throw new IllegalArgumentException("'" + p + "' is not a port (1..65535) or a range from-to");
                }
                ranges.add(new int[] {from, to});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a port or a range such as 8080-8089", e);
            }
        }
        return new PortRanges(List.copyOf(ranges));
    }

    @Override
    public boolean test(final int port) {
        return ranges.stream().anyMatch(r -> port >= r[0] && port <= r[1]);
    }
}
