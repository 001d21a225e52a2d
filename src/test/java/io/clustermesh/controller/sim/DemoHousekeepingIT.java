package io.clustermesh.controller.sim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.config.TemporaryDirectory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged demo cleans up after itself: the kubeconfig and state directories it made for a
 * run are gone after a clean stop (SIGTERM), and the next run starts without the previous run's
 * history. Each run gets its own {@code java.io.tmpdir}, so what is left behind can be listed.
 */
class DemoHousekeepingIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String TOKEN = "housekeeping-operator-3c1f";

    private Process demo;
    private int port;

    @AfterEach
    void stopDemo() {
        if (demo != null) {
            demo.destroyForcibly();
        }
    }

    @Test
    void aCleanStopRemovesTheRunsDirectoriesAndTheNextRunStartsFresh() throws Exception {
        TemporaryDirectory tmp = TemporaryDirectory.create("demo-housekeeping-");
        try {
            start(tmp.path(), 1);
            String kubeconfigs = given().port(port)
                    .header("Authorization", "Bearer " + TOKEN)
                    .get("/api/v1/sim")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("kubeconfigDir");
            assertThat(Path.of(kubeconfigs)).startsWith(tmp.path()).isDirectory();
            assertThat(leftIn(tmp.path()))
                    .anyMatch(n -> n.startsWith("clustermesh-demo-kubeconfigs-"))
                    .anyMatch(n -> n.startsWith("clustermesh-demo-state-"));
            given().port(port)
                    .header("Authorization", "Bearer " + TOKEN)
                    .queryParam("dryRun", "true")
                    .put("/api/v1/clusters/homelab/clustermesh")
                    .then()
                    .statusCode(200);
            assertThat(auditedPaths()).contains("/api/v1/clusters/homelab/clustermesh");

            stopCleanly();
            assertThat(leftIn(tmp.path())).noneMatch(n -> n.startsWith("clustermesh-demo-"));

            start(tmp.path(), 2);
            assertThat(auditedPaths()).doesNotContain("/api/v1/clusters/homelab/clustermesh");
            stopCleanly();
            assertThat(leftIn(tmp.path())).noneMatch(n -> n.startsWith("clustermesh-demo-"));
        } finally {
            tmp.delete();
        }
    }

    private List<String> auditedPaths() {
        return given().port(port)
                .header("Authorization", "Bearer " + TOKEN)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("entries.path", String.class);
    }

    private void start(Path tmp, int run) throws IOException {
        assertThat(JAR).as("the packaged jar (./mvnw package)").exists();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Path.of("target", "demo-housekeeping-it-" + run + ".log");
        demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + tmp,
                        "-Dquarkus.http.port=" + port,
                        "-Dmesh.demo.enabled=true",
                        "-Dmesh.demo.operator-token=" + TOKEN,
                        "-Dmesh.kubeconfig-paths=",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(demo.isAlive())
                            .as("demo run " + run + " exited; see " + log)
                            .isTrue();
                    try {
                        return given().port(port).get("/q/health/ready").statusCode() == 200;
                    } catch (Exception notYet) {
                        return false;
                    }
                });
    }

    /** SIGTERM, as Ctrl+C or a container stop: Quarkus shuts down cleanly. */
    private void stopCleanly() throws InterruptedException {
        demo.destroy();
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).isIn(0, 143);
        demo = null;
    }

    private static List<String> leftIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
