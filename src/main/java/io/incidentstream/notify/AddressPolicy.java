package io.incidentstream.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where deliveries may go. Unless private receivers are allowed ({@code WEBHOOK_ALLOW_PRIVATE}), a
 * receiver's host must resolve to public addresses only: no loopback, private (RFC 1918, IPv6 unique
 * local), link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, multicast or
 * unspecified address. Checked at every attempt, after resolution, and the connection then goes to
 * the very address checked, so a name that later resolves inside the network (DNS rebinding) cannot
 * make the server call it.
 */
public final class AddressPolicy {
    private final boolean allowPrivate;

    public AddressPolicy(final boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Refused: the receiver's address is not one deliveries may go to. */
    static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(final String message) {
            super(message);
        }
    }

    /** The address to connect to for {@code url}; every address the host has must be allowed. */
    InetAddress resolve(final URI url) throws RefusedException, UnknownHostException {
        final InetAddress[] all = InetAddress.getAllByName(url.getHost());
        if (!allowPrivate) {
            for (InetAddress a : all) {
                if (!isPublic(a)) {
                    throw new RefusedException("receiver address " + a.getHostAddress()
                            + " is loopback, private or link-local (WEBHOOK_ALLOW_PRIVATE=false)");
                }
            }
        }
        return all[0];
    }

    /** Whether a host given literally in a URL is refused already (checked when a subscription is made). */
    boolean refusesLiteral(final String host) {
        if (allowPrivate
                || host == null
                || !(host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return false;
        }
        try {
            return !isPublic(InetAddress.getByName(host)); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isPublic(final InetAddress a) {
        if (a.isAnyLocalAddress()
                || a.isLoopbackAddress()
                || a.isLinkLocalAddress()
                || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        final byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicV4(b[0] & 0xff, b[1] & 0xff, b[2] & 0xff);
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isNat64(b) || isV4Compatible(b)) {
                return isPublicV4(b[12] & 0xff, b[13] & 0xff, b[14] & 0xff);
            }
        }
        return true;
    }

    private static boolean isPublicV4(final int b0, final int b1, final int b2) {
        return !(b0 == 0
                || b0 == 10
                || b0 == 127
                || (b0 == 100 && (b1 & 0xc0) == 64) // carrier-grade NAT 100.64/10
                || (b0 == 169 && b1 == 254)
                || (b0 == 172 && (b1 & 0xf0) == 16)
                || (b0 == 192 && b1 == 168)
                || (b0 == 192 && b1 == 0 && b2 == 0)
                || (b0 == 198 && (b1 == 18 || b1 == 19))
                || b0 >= 224);
    }

    /** 64:ff9b::/96, where NAT64 maps IPv4 addresses. */
    private static boolean isNat64(final byte[] b) {
        if (b[0] != 0 || b[1] != 0x64 || (b[2] & 0xff) != 0xff || (b[3] & 0xff) != 0x9b) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** ::a.b.c.d (deprecated IPv4-compatible form). */
    private static boolean isV4Compatible(final byte[] b) {
        for (int i = 0; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
