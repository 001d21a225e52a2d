package io.clustermesh.controller.cilium;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Cilium minor version, where the contract differs between versions (e.g. §5.2 B). */
public record CiliumVersion(int major, int minor) implements Comparable<CiliumVersion> {
    public static final CiliumVersion V1_16 = new CiliumVersion(1, 16);
    public static final CiliumVersion V1_17 = new CiliumVersion(1, 17);
    public static final CiliumVersion V1_18 = new CiliumVersion(1, 18);
    public static final CiliumVersion V1_19 = new CiliumVersion(1, 19);

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:[.\\-+@].*)?");

    /** Accepts {@code 1.17}, {@code v1.17.3}, {@code 1.18.0-rc.1}; also an image tag after ':'. */
    public static CiliumVersion parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon >= 0) {
            t = t.substring(colon + 1);
        }
        Matcher m = VERSION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Cilium version: " + text);
        }
        return new CiliumVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public boolean atLeast(CiliumVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(CiliumVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
