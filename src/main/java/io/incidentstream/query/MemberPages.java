package io.incidentstream.query;

import io.incidentstream.errors.BadRequestException;
import io.incidentstream.model.Incident;
import io.incidentstream.model.MemberAlert;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pages of a grouped incident's member alerts ({@code GET /incidents/{id}/alerts}), in the order
 * they joined. The list is bounded ({@link io.incidentstream.model.Bounds#MAX_MEMBERS}), so the
 * cursor is the position of the next member; it names no other incident nor tenant, so a forged one
 * can only page this incident differently. An incident of one alert has no members: an empty page.
 */
public final class MemberPages {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final String PREFIX = "members:";

    /** One page: the members, how many the incident has in all (listed or counted), and the next cursor. */
    public record Page(List<MemberAlert> data, long memberCount, String nextToken) {}

    private MemberPages() {}

    public static Page page(final Incident incident, final int limit, final String nextToken) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit: must be between 1 and " + MAX_LIMIT);
        }
        final List<MemberAlert> all = incident.alerts() == null ? List.of() : incident.alerts();
        final int from = nextToken == null ? 0 : decode(nextToken);
        final int to = Math.min(all.size(), from + limit);
        final List<MemberAlert> data = from >= all.size() ? List.of() : all.subList(from, to);
        final long count = incident.memberCount() == null ? 0 : incident.memberCount();
        return new Page(data, count, to < all.size() ? encode(to) : null);
    }

    private static String encode(final int position) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(final String token) {
        try {
            final String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                final int position = Integer.parseInt(text.substring(PREFIX.length()));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // a token that is not ours: refused below
        }
        throw new BadRequestException("nextToken: not a cursor of this list");
    }
}
