package io.clustermesh.controller.health.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * At most one run of a slow reading at a time, off the health refresh: a contributor answers from
 * what it read last and lets this bring the next reading in behind it.
 */
public final class BackgroundRefresh {
    private static final Logger LOG = Logger.getLogger(BackgroundRefresh.class);

    private final String what;
    private final AtomicBoolean running = new AtomicBoolean();

    public BackgroundRefresh(String what) {
        this.what = what;
    }

    /** Starts {@code work} unless a previous run is still going. */
    public void trigger(Runnable work) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture.runAsync(work).whenComplete((ignored, error) -> {
            running.set(false);
            if (error != null) {
                LOG.warnf("background %s failed: %s", what, error.getClass().getSimpleName());
            }
        });
    }
}
