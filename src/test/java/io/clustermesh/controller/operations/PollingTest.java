package io.clustermesh.controller.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollingTest {

    @Test
    void pauseWaitsTheInterval() {
        long started = System.nanoTime();
        Polling.pause(Duration.ofMillis(50));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void anInterruptEndsTheWaitAsAFailureAndStaysOnTheThread() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Polling.pause(Duration.ofSeconds(30)))
                    .isInstanceOf(ProblemException.class)
                    .hasMessage("interrupted");
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the interrupt is kept for whoever runs the operation")
                    .isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
