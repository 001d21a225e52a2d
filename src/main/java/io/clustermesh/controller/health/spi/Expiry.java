package io.clustermesh.controller.health.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Something that stops working, or stops meeting policy, at {@code notAfter}: a certificate, a
 * key, a Tailscale auth key. {@code dueAt} is when it should be renewed or rotated (a
 * certificate: its warning threshold before expiry; a WireGuard key: when it reaches the maximum
 * age), so a view colours by what is due rather than by how far away the date is.
 */
public record Expiry(String what, String cluster, Instant notAfter, long daysLeft, Instant dueAt) {

    /** Whole days left, rounded down: 0 on the last day, negative once expired. */
    public static Expiry of(String what, String cluster, Instant notAfter, Instant dueAt, Clock clock) {
        long seconds = Duration.between(clock.instant(), notAfter).getSeconds();
        return new Expiry(
                what,
                cluster,
                notAfter,
                Math.floorDiv(seconds, Duration.ofDays(1).getSeconds()),
                dueAt);
    }
}
