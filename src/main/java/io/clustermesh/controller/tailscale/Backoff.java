package io.clustermesh.controller.tailscale;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with ±20% jitter (§1: start 1 s, cap 60 s). Jitter keeps several
 * controller replicas from retrying in lock-step after a shared 429.
 */
public record Backoff(Duration initial, Duration max) {

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Delay before retry number {@code retry} (0 = first retry). */
    public Duration delay(int retry) {
        long base = initial.toMillis() << Math.min(retry, 20);
        long capped = Math.min(Math.max(base, 0), max.toMillis());
        double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.min(max.toMillis(), (long) (capped * factor)));
    }
}
