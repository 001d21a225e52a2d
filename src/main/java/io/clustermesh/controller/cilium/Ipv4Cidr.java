package io.clustermesh.controller.cilium;

import java.util.regex.Pattern;

/** An IPv4 prefix, enough to tell whether two clusters' pod CIDRs overlap. */
record Ipv4Cidr(long network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    /** Parses {@code a.b.c.d/n}; returns null for anything else (IPv6, garbage). */
    static Ipv4Cidr parseOrNull(String text) {
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            return null;
        }
        Long address = parseAddressOrNull(parts[0]);
        if (address == null) {
            return null;
        }
        int length;
        try {
            length = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (length < 0 || length > 32) {
            return null;
        }
        return new Ipv4Cidr(address & mask(length), length);
    }

    static boolean isAddress(String text) {
        return parseAddressOrNull(text) != null;
    }

    boolean overlaps(Ipv4Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    private static Long parseAddressOrNull(String text) {
        var m = IPV4.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long value = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return null;
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static long mask(int length) {
        return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
    }
}
