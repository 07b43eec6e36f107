package io.incidentstream.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answers of Alertmanager's API v2 read side, field for field as its {@code openapi.yaml}
 * defines them ({@code gettableAlert}, {@code alertGroup}, {@code alertmanagerStatus},
 * {@code receiver}), so that amtool, Grafana's Alertmanager data source and Karma read them with
 * their generated clients.
 */
public final class AlertmanagerShapes {
    private AlertmanagerShapes() {}

    /** {@code gettableAlert}; {@code generatorURL} is left out when the alert gave none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alert(
            Map<String, String> labels,
            Map<String, String> annotations,
            Instant startsAt,
            Instant endsAt,
            Instant updatedAt,
            String fingerprint,
            List<Receiver> receivers,
            AlertStatus status,
            String generatorURL) {}

    /** {@code alertStatus}: {@code state} is {@code active}, {@code suppressed} or {@code unprocessed}. */
    public record AlertStatus(String state, List<String> silencedBy, List<String> inhibitedBy, List<String> mutedBy) {
        static final String ACTIVE = "active";
        static final String SUPPRESSED = "suppressed";
    }

    /** {@code receiverReference}, and {@code receiver} (whose optional {@code labels} we do not have). */
    public record Receiver(String name) {}

    /** {@code alertGroup}. */
    public record AlertGroup(
            Map<String, String> labels, Map<String, String> routeLabels, Receiver receiver, List<Alert> alerts) {}

    /** {@code alertmanagerStatus}. */
    public record Status(ClusterStatus cluster, VersionInfo versionInfo, Config config, Instant uptime) {}

    /** {@code clusterStatus}: {@code status} is {@code ready}, {@code settling} or {@code disabled}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterStatus(String name, String status, List<Peer> peers) {}

    /** {@code peerStatus}. */
    public record Peer(String name, String address) {}

    /** {@code versionInfo}; {@code goVersion} carries the Java runtime's version. */
    public record VersionInfo(
            String version, String revision, String branch, String buildUser, String buildDate, String goVersion) {}

    /** {@code alertmanagerConfig}: {@code original} is the configuration as YAML text. */
    public record Config(String original) {}

    /**
     * A bounded answer: {@code items}, and whether the walk stopped at its bound before it had read every
     * open incident (then more may match than {@code items} holds).
     */
    public record Bounded<T>(List<T> items, boolean truncated) {}
}
