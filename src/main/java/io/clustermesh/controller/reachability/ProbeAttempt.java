package io.clustermesh.controller.reachability;

import java.time.Duration;

/** What an exchange needs from the probe attempt it runs in. */
interface ProbeAttempt {
    KvstoreProbeTarget target();

    Duration elapsed();

    void stage(String stage);

    String stage();

    /** The first outcome wins; later calls are ignored. */
    void finish(ProbeResult result);

    /** Finishes with a {@code TlsError} or {@code Failed}, whichever the cause is. */
    void fail(Throwable cause);
}
