package io.clustermesh.controller.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An operation cut off by a crash is listed after the restart as interrupted, with its step and how to resume; finished ones stay as they were. */
class OperationRestartTest {

    @Test
    void anOperationCutOffByACrashIsInterruptedAfterTheRestart() throws Exception {
        // Not a @TempDir: the first service's operation, released at the end, still journals in the background.
        Path state = java.nio.file.Files.createTempDirectory("operation-restart-");
        OperationService before = new OperationService(Clock.systemUTC(), new SimpleMeterRegistry(), state.toString());
        Operation done = before.submit("disconnect", "homelab,cloud", "ops", List.of("homelab", "cloud"), op -> {
            op.plan(List.of("homelab: delete entries"));
            op.start("homelab: delete entries");
            op.succeed("homelab: delete entries", "ok");
        });
        assertThat(before.await(done.id(), Duration.ofSeconds(10)).state()).isEqualTo(Operation.State.succeeded);

        CountDownLatch inSecondStep = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Operation cut = before.submit("connect", "homelab,cloud", "ops", List.of("homelab", "cloud"), op -> {
            op.plan(List.of(
                    "homelab: apply Secret kube-system/cilium-kvstoremesh",
                    "cloud: apply Secret kube-system/cilium-kvstoremesh"));
            op.start("homelab: apply Secret kube-system/cilium-kvstoremesh");
            op.succeed("homelab: apply Secret kube-system/cilium-kvstoremesh", "written");
            op.start("cloud: apply Secret kube-system/cilium-kvstoremesh");
            inSecondStep.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(inSecondStep.await(10, TimeUnit.SECONDS)).isTrue();

        // The "crash": a new service over the same state dir while the first never finished.
        OperationService after = new OperationService(Clock.systemUTC(), new SimpleMeterRegistry(), state.toString());
        Operation interrupted = after.find(cut.id()).orElseThrow();
        assertThat(interrupted.state()).isEqualTo(Operation.State.interrupted);
        assertThat(interrupted.state().finished()).isTrue();
        assertThat(interrupted.error())
                .contains("at step 'cloud: apply Secret kube-system/cilium-kvstoremesh'")
                .contains("resume with PUT /api/v1/links/homelab/cloud");
        assertThat(interrupted.steps()).extracting(Operation.Step::state).containsExactly("succeeded", "interrupted");
        assertThat(after.find(done.id()).orElseThrow().state()).isEqualTo(Operation.State.succeeded);
        assertThat(after.recent()).extracting(Operation::id).containsExactly(cut.id(), done.id());
        // Its clusters are free again: the resume is not refused as busy.
        Operation resumed = after.submit("connect", "homelab,cloud", "ops", List.of("homelab", "cloud"), op -> {});
        assertThat(after.await(resumed.id(), Duration.ofSeconds(10)).state()).isEqualTo(Operation.State.succeeded);
        never.countDown();
        before.await(cut.id(), Duration.ofSeconds(10));
        try (var files = java.nio.file.Files.walk(state)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void resumeHintsNameTheRequestThatResumes() {
        assertThat(OperationService.resumeHint("enable", "cloud"))
                .isEqualTo("resume with PUT /api/v1/clusters/cloud/clustermesh");
        assertThat(OperationService.resumeHint("connect", "a,b,c"))
                .isEqualTo("resume with POST /api/v1/mesh/connect {\"clusters\": [\"a\", \"b\", \"c\"]}");
        assertThat(OperationService.resumeHint("disconnect", "a,b")).isEqualTo("resume with DELETE /api/v1/links/a/b");
    }
}
