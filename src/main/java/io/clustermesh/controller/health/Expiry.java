package io.clustermesh.controller.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Something that stops working at {@code notAfter}: a certificate, a key, a Tailscale auth key. */
public record Expiry(String what, String cluster, Instant notAfter, long daysLeft) {

    /** Whole days left, rounded down: 0 on the last day, negative once expired. */
    public static Expiry of(String what, String cluster, Instant notAfter, Clock clock) {
        long seconds = Duration.between(clock.instant(), notAfter).getSeconds();
        return new Expiry(what, cluster, notAfter, Math.floorDiv(seconds, Duration.ofDays(1).getSeconds()));
    }
}
