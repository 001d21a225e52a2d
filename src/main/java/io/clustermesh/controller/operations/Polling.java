package io.clustermesh.controller.operations;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.time.Duration;

/** The pause between two looks of an operation that waits for a cluster to get somewhere. */
public final class Polling {
    private Polling() {}

    /**
     * Sleeps for {@code interval}. An interrupt (the service stopping, the operation cancelled)
     * ends the operation: it is kept on the thread and the wait fails rather than going on.
     */
    public static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.INTERNAL, "interrupted");
        }
    }
}
