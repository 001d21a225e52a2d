package io.clustermesh.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The newcomer test: README.md's quick tour, pasted as one bash block against the packaged demo
 * ({@code target/quarkus-app/quarkus-run.jar}), must run every command successfully in order.
 * The block is taken as written; only {@code localhost:8080} becomes the test's port, and
 * {@code curl} is wrapped to record each answer and to fail on any HTTP error, as a newcomer
 * would see it (whether or not the README uses {@code -f}).
 * {@code -Dquick-tour.readme=FILE} checks another README (a draft of the tour).
 */
class QuickTourIT {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String TOKEN = "quick-tour-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records every answer in $TOUR_LOG (status, method, URL, body file) and fails on 4xx/5xx. */
    private static final String PROLOGUE = """
            set -euo pipefail
            n=0
            curl() {
              n=$((n + 1))
              local method=GET url=
              local args=("$@")
              for ((i = 0; i < ${#args[@]}; i++)); do
                case "${args[i]}" in
                  -X) method="${args[i+1]}" ;;
                  -d|--data) [ "$method" = GET ] && method=POST ;;
                  *localhost:*) url="${args[i]}" ;;
                esac
              done
              local code
              code=$(command curl -sS -o "$TOUR_LOG/$n.body" -w '%{http_code}' "$@") || { echo "command $n failed: curl exit $?" >&2; return 1; }
              echo "$code $method $url" >> "$TOUR_LOG/index"
              cat "$TOUR_LOG/$n.body"; echo
              if [ "$code" -ge 400 ]; then echo "command $n: HTTP $code for $method $url" >&2; return 1; fi
            }
            """;

    private Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void theReadmeQuickTourPastedAsOneBlockSucceedsCommandByCommand() throws Exception {
        assertThat(JAR)
                .as("run through ./mvnw verify: the packaged service is needed")
                .exists();
        Path readme = Path.of(System.getProperty("quick-tour.readme", "README.md"));
        String tour = QuickTour.extract(Files.readAllLines(readme, StandardCharsets.UTF_8));
        int port = freePort();
        Path work = Files.createTempDirectory("quick-tour-");
        Path log = Files.createDirectories(work.resolve("answers"));
        startDemo(port, work);

        String script = PROLOGUE + tour.replace("localhost:8080", "localhost:" + port);
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("tour.out").toFile());
        builder.environment().put("T", TOKEN);
        builder.environment().put("TOUR_LOG", log.toString());
        Process run = builder.start();
        assertThat(run.waitFor(10, TimeUnit.MINUTES)).as("the tour finished").isTrue();
        String output = Files.readString(work.resolve("tour.out"));
        List<String> index = Files.exists(log.resolve("index")) ? Files.readAllLines(log.resolve("index")) : List.of();
        assertThat(run.exitValue())
                .as("the tour pasted as one block; output:\n" + output + "\nanswers:\n" + String.join("\n", index))
                .isZero();

        List<String> steps = new ArrayList<>();
        for (String line : index) {
            String[] parts = line.split(" ", 3);
            steps.add(parts[1] + " "
                    + URI.create(parts[2].startsWith("http") ? parts[2] : "http://" + parts[2])
                            .getPath());
        }
        assertThat(steps)
                .as("the tour's commands, in order")
                .containsExactly(
                        "PUT /api/v1/clusters/homelab/clustermesh",
                        "PUT /api/v1/clusters/cloud/clustermesh",
                        "PUT /api/v1/links/homelab/cloud",
                        "GET /api/v1/links",
                        "POST /api/v1/sim/subnet-routes",
                        "POST /api/v1/sim/subnet-routes",
                        "GET /api/v1/links",
                        "POST /api/v1/clusters/cloud/wireguard/rotations",
                        "POST /api/v1/sim/faults",
                        "GET /api/v1/links");
        JsonNode cloud = JSON.readTree(log.resolve("2.body").toFile());
        assertThat(cloud.path("state").asText())
                .as("enable of cloud finished within its wait")
                .isEqualTo("succeeded");
        assertThat(JSON.readTree(get(port, "/api/v1/clusters/cloud"))
                        .path("mesh")
                        .path("serviceType")
                        .asText())
                .isEqualTo("LoadBalancer");
        // Right after connect the agents may still be connecting (a second or two): the link is there, ready or about
        // to be.
        JsonNode connected = JSON.readTree(log.resolve("4.body").toFile());
        assertThat(connected.findValuesAsText("from"))
                .as("after connect: " + connected)
                .containsExactlyInAnyOrder("cloud", "homelab");
        // The demo's homelab is behind NAT: without routes for the nodes the link carries the control plane only (issue
        // 17).
        assertThat(connected.toString()).as("after connect, before routes").contains("control-plane-only");
        // The demo's 3-node cloud, linked to the 2-node homelab, rotates its WireGuard keys end to end (issue 19).
        JsonNode rotation = JSON.readTree(log.resolve("8.body").toFile());
        assertThat(rotation.path("state").asText())
                .as("rotation finished within its wait: " + rotation)
                .isEqualTo("succeeded");
        // The rotation is a plan run node by node (issue 14): each node's last step records its new key.
        assertThat(rotation.path("steps").findValuesAsText("name").stream()
                        .filter(name -> name.startsWith("cloud: record the new key of "))
                        .toList())
                .as("each cloud node rotated, one after the other")
                .containsExactly(
                        "cloud: record the new key of cloud-node-1",
                        "cloud: record the new key of cloud-node-2",
                        "cloud: record the new key of cloud-node-3");
        assertThat(rotation.path("steps").findValuesAsText("state"))
                .as("every step of the rotation")
                .containsOnly("succeeded");
        JsonNode broken = JSON.readTree(log.resolve("10.body").toFile());
        assertThat(broken.toString())
                .as("after the fault")
                .contains("\"from\":\"cloud\",\"to\":\"homelab\",\"status\":\"not-ready\"");
    }

    private void startDemo(int port, Path work) throws IOException {
        Path out = work.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dquarkus.http.port=" + port,
                        "-Dquarkus.http.host=127.0.0.1",
                        "-jar",
                        JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().put("MESH_DEMO_ENABLED", "true");
        builder.environment().put("MESH_DEMO_OPERATOR_TOKEN", TOKEN);
        builder.environment().put("MESH_STATE_DIR", work.resolve("state").toString());
        service = builder.start();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(service.isAlive())
                            .as("the demo exited; see " + out)
                            .isTrue();
                    try {
                        return get(port, "/q/health/ready") != null;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", "Bearer " + TOKEN)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
