package io.clustermesh.controller.cilium;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cilium release down to the patch: what the chart renders changes inside a minor line too
 * (1.15.0 and 1.15.19 differ in the etcd-init token and the service account field).
 */
public record CiliumRelease(int major, int minor, int patch) implements Comparable<CiliumRelease> {
    /** The oldest and newest chart lines whose clustermesh-apiserver objects we render and test (../shared/charts). */
    public static final CiliumRelease OLDEST_SUPPORTED = new CiliumRelease(1, 15, 0);

    public static final CiliumVersion NEWEST_SUPPORTED_LINE = CiliumVersion.V1_19;
    public static final String SUPPORTED_RANGE = "1.15.0 to 1.19.x";

    private static final Pattern RELEASE = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[\\-+].*)?");

    /** Accepts {@code 1.18.11}, {@code v1.15.0}, {@code 1.19.0-rc.1}, or an image reference ending in such a tag. */
    public static CiliumRelease parse(String text) {
        String t = text.trim();
        int at = t.indexOf('@');
        if (at >= 0) {
            t = t.substring(0, at);
        }
        int colon = t.lastIndexOf(':');
        if (colon >= 0 && colon > t.lastIndexOf('/')) {
            t = t.substring(colon + 1);
        }
        Matcher m = RELEASE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Cilium release: " + text);
        }
        return new CiliumRelease(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public CiliumVersion line() {
        return new CiliumVersion(major, minor);
    }

    public boolean supported() {
        return compareTo(OLDEST_SUPPORTED) >= 0
                && !line().atLeast(new CiliumVersion(NEWEST_SUPPORTED_LINE.major(), NEWEST_SUPPORTED_LINE.minor() + 1));
    }

    /** Refuses a release whose chart we have not rendered: writing a guessed Deployment would crash-loop on it. */
    public CiliumRelease requireSupported(String cluster) {
        if (!supported()) {
            throw new ProblemException(
                    ProblemType.UNSUPPORTED_CILIUM_VERSION,
                    "cluster " + cluster + " runs Cilium " + this
                            + "; ClusterMesh can be managed for Cilium " + SUPPORTED_RANGE
                            + " (upgrade Cilium, or manage ClusterMesh with a cilium-cli matching "
                            + this + ")",
                    "cluster");
        }
        return this;
    }

    @Override
    public int compareTo(CiliumRelease o) {
        int byLine = line().compareTo(o.line());
        return byLine != 0 ? byLine : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
