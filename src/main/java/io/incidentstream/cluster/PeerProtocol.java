package io.incidentstream.cluster;

/**
 * The instance-to-instance HTTP protocol, shared by the client ({@link HttpPeerClient}) and the
 * server routes that answer it, so both sides name the same paths and parameters.
 */
public final class PeerProtocol {
    /** Every internal route starts here; only peers holding {@code PEER_TOKEN} may call it. */
    public static final String PREFIX = "/internal/v1";

    /** The query parameter naming the caller's tenant, which the peer trusts because the call is authenticated. */
    public static final String TENANT_PARAM = "tenant";

    /**
     * The query parameter asking for an answer from standby copies: on a page, the partitions to read
     * (comma-separated); on a get, {@code true}.
     */
    public static final String STANDBY_PARAM = "standby";

    /** The response header carrying the standby copy's lag (records) on a standby answer. */
    public static final String STALENESS_HEADER = "X-Incident-Staleness";

    /** The header carrying {@code Bearer <PEER_TOKEN>}. */
    public static final String AUTH_HEADER = "Authorization";

    private PeerProtocol() {}
}
