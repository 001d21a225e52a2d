package io.clustermesh.controller.cli;

import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI driven in-process against a running service (simulated homelab and cloud), as a user
 * types it: dry runs change nothing, {@code --wait} shows progress and exits 0, {@code status}
 * prints what {@code GET /api/v1/links} says, and a bad token fails clearly without being shown.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class CliTest {
    private static final Map<String, String> OPERATOR =
            Map.of(ServiceOptions.TOKEN_ENV, SimulatedClustersResource.OPERATOR_TOKEN);

    @TestHTTPResource("/")
    URL server;

    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run cli(Map<String, String> env, String... args) {
        List<String> withServer = new ArrayList<>(Arrays.asList(args));
        if (args.length > 0 && !List.of("--help", "completion", "help").contains(args[0])) {
            withServer.add("--server=" + server);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MeshCli.run(
                withServer.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run cli(String... args) {
        return cli(OPERATOR, args);
    }

    @Test
    void everyCommandHasHelpAndTheCompletionScriptKnowsThem() {
        Run top = cli(Map.of(), "--help");
        assertThat(top.exitCode()).isZero();
        for (String command :
                List.of("enable", "disable", "connect", "disconnect", "status", "rotate", "check", "completion")) {
            assertThat(top.out()).contains(command);
            Run help = cli(Map.of(), command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: clustermesh-controller " + command);
            if (!List.of("status", "check", "completion").contains(command)) {
                assertThat(help.out())
                        .as(command)
                        .contains("--dry-run")
                        .contains("--wait")
                        .contains("--context");
            }
        }
        Run completion = cli(Map.of(), "completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out())
                .contains("complete -F")
                .contains("destination-context")
                .contains("--service-type");
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() {
        MeshStates.disabled("homelab");
        int operations = operations();
        Run dry = cli("enable", "--context", "homelab", "--dry-run");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("dry run of enable homelab")
                .containsPattern("homelab\\s+create\\s+Deployment kube-system/clustermesh-apiserver")
                .contains("managed by Helm release 'cilium'")
                .contains("nothing was changed (dry run)");
        assertThat(operations()).isEqualTo(operations);
        operator().get("/api/v1/clusters/homelab").then().statusCode(200).body("mesh.enabled", equalTo(false));
    }

    @Test
    void enableAndConnectWithWaitPrintProgressAndExitZero() {
        MeshStates.disabled("homelab");
        Run homelab = cli("enable", "--context", "homelab", "--wait");
        assertThat(homelab.exitCode()).as(homelab.all()).isZero();
        assertThat(homelab.out())
                .containsPattern("\\[#+-*] \\d+/\\d+  homelab: ")
                .contains("[########################]")
                .contains("⚠ Cilium in homelab is managed by Helm")
                .contains("✔ enable homelab succeeded in");
        Run cloud = cli("enable", "--context", "cloud", "--service-type", "LoadBalancer", "--wait");
        assertThat(cloud.exitCode()).as(cloud.all()).isZero();
        operator().get("/api/v1/clusters/cloud").then().body("mesh.serviceType", equalTo("LoadBalancer"));
        Run connect = cli("connect", "--context", "homelab", "--destination-context", "cloud", "--wait");
        assertThat(connect.exitCode()).as(connect.all()).isZero();
        assertThat(connect.out()).contains("✔ connect homelab,cloud succeeded");
        Run waited = cli("status", "--context", "homelab", "--wait", "--wait-duration", "60s");
        assertThat(waited.exitCode()).as(waited.all()).isZero();
    }

    @Test
    void statusPrintsWhatTheLinksApiSays() {
        MeshStates.homelabAndCloudConnected();
        MeshStates.healthyLink("homelab", "cloud");
        // The CLI and the test each read the links: on a loaded machine one reading may catch an
        // agent that did not answer, so the two are compared until two readings in a row agree.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Run status = cli("status");
            JsonNode links = ServiceClient.JSON.readTree(operator()
                    .get("/api/v1/links")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            assertThat(status.exitCode()).as(status.all()).isZero();
            List<String> expected = new ArrayList<>();
            for (JsonNode link : links) {
                for (JsonNode d : link.path("directions")) {
                    expected.add(String.join(
                            "|",
                            d.path("from").asText(),
                            d.path("to").asText(),
                            d.path("status").asText(),
                            d.path("agentsReady").asInt() + "/"
                                    + d.path("agentsTotal").asInt(),
                            d.path("reason").asText()));
                }
            }
            assertThat(expected).hasSize(2);
            assertThat(tableRows(status.out())).isEqualTo(expected);
            assertThat(status.out())
                    .contains("homelab (simulated): ClusterMesh enabled, NodePort, clustermesh-apiserver ready")
                    .contains("link cloud ↔ homelab: healthy");
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Run json = cli("status", "--context", "cloud", "-o", "json");
            assertThat(json.exitCode()).as(json.all()).isZero();
            JsonNode shown = ServiceClient.JSON.readTree(json.out());
            JsonNode all = ServiceClient.JSON.readTree(operator()
                    .get("/api/v1/links")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            int withCloud = 0;
            for (JsonNode link : all) {
                if (link.path("a").asText().equals("cloud")
                        || link.path("b").asText().equals("cloud")) {
                    withCloud++;
                }
            }
            assertThat(shown.path("links").size()).isEqualTo(withCloud).isPositive();
            assertThat(shown.path("clusters").findValuesAsText("name")).contains("cloud");
        });
    }

    @Test
    void aBrokenDirectionShowsItsReasonAndStatusExitsNonZero() {
        MeshStates.homelabAndCloudConnected();
        // A disconnect that fails between the two sides leaves one direction without its remote.
        SimulatedClustersResource.cluster("cloud").failWrite(1, SimulatedWriteFault.ERROR_500, Duration.ZERO);
        Run failed = cli("disconnect", "--context", "homelab", "--destination-context", "cloud", "--wait");
        assertThat(failed.exitCode()).as(failed.all()).isEqualTo(1);
        assertThat(failed.err())
                .startsWith("error: disconnect ")
                .contains("failed: ")
                .contains("HTTP 500");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Run status = cli("status");
            assertThat(status.exitCode()).as(status.all()).isEqualTo(1);
            assertThat(status.out()).contains("not-ready").contains("hints:");
        });
        Run again = cli("disconnect", "--context", "homelab", "--destination-context", "cloud", "--wait");
        assertThat(again.exitCode()).as(again.all()).isZero();
        Run none = cli("status", "--context", "homelab");
        assertThat(none.out()).contains("no links of homelab");
    }

    @Test
    void aBadTokenExitsNonZeroWithAClearMessageAndIsNeverShown() throws Exception {
        String secret = "not-a-valid-token-5e1d77c2";
        Path file = Files.createTempFile("token-", "");
        try {
            Files.writeString(file, secret + "\n");
            List<Run> runs = List.of(
                    cli(Map.of(), "status", "--token", secret),
                    cli(Map.of(), "enable", "--context", "cloud", "--token=" + secret, "--wait"),
                    cli(
                            Map.of(ServiceOptions.TOKEN_ENV, secret),
                            "connect",
                            "--context",
                            "homelab",
                            "--destination-context",
                            "cloud"),
                    cli(Map.of(), "disable", "--context", "cloud", "--token-file", file.toString(), "--dry-run"));
            for (Run run : runs) {
                assertThat(run.exitCode()).as(run.all()).isEqualTo(3);
                assertThat(run.err()).contains("the service refused the token (401 unauthenticated");
                assertThat(run.all()).doesNotContain(secret);
            }
            Run typo = cli(Map.of(), "status", "--token", secret, "--contxt", secret);
            assertThat(typo.exitCode()).isEqualTo(2);
            assertThat(typo.all()).contains("--contxt").doesNotContain(secret);
            Run none = cli(Map.of(), "status");
            assertThat(none.exitCode()).isEqualTo(3);
            assertThat(none.err()).contains("no token given");
            Run viewer = cli(
                    Map.of(ServiceOptions.TOKEN_ENV, SimulatedClustersResource.VIEWER_TOKEN),
                    "disable",
                    "--context",
                    "cloud");
            assertThat(viewer.exitCode()).isEqualTo(3);
            assertThat(viewer.err())
                    .contains("the token may not do this")
                    .doesNotContain(SimulatedClustersResource.VIEWER_TOKEN);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aServiceThatIsNotThereIsNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MeshCli.run(
                new String[] {"status", "--server", "http://127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                OPERATOR);
        assertThat(code).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach the service at http://127.0.0.1:1/");
    }

    /** The status table's rows as {@code from|to|state|agents|reason}. */
    private static List<String> tableRows(String out) {
        List<String> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : out.split("\n")) {
            if (line.startsWith("CLUSTER ")) {
                inTable = true;
                continue;
            }
            if (inTable && line.isBlank()) {
                break;
            }
            if (inTable) {
                String[] cells = line.split(" {2,}", 5);
                rows.add(String.join("|", cells));
            }
        }
        return rows;
    }

    private static int operations() {
        return operator()
                .get("/api/v1/operations")
                .then()
                .statusCode(200)
                .extract()
                .<List<Object>>path("$")
                .size();
    }
}
