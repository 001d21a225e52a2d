package io.clustermesh.controller.reachability;

import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.health.DetectionTest;
import io.clustermesh.controller.sim.SimulatedFault;
import io.clustermesh.controller.support.HealthWaits;
import io.clustermesh.controller.support.MeshStates;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's situation: the simulation is not in the service's process ({@link
 * NoSimulationHere}), so each simulated cluster is dialled through the simulator's network endpoint
 * its kubeconfig names, over HTTP. The verdicts must be real ones (ok while the mesh is fine, so
 * health is 200 at baseline), and a fault injected into the simulation, which the service is not
 * told of, must change them: the scheduled endpoint probe sees it and health answers 503 within
 * 10 s (issue 18's P6 target), then 200 within 10 s of healing.
 */
@QuarkusTest
@TestProfile(OutOfProcessSimulationTest.Profile.class)
@QuarkusTestResource(value = SimulatedClustersResource.class, restrictToAnnotatedClass = true)
class OutOfProcessSimulationTest {
    private static final Duration TARGET = Duration.ofSeconds(10);

    /** DetectionTest's schedules (health only through the watch check), the in-process simulation out of reach. */
    public static class Profile extends DetectionTest.Profile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(NoSimulationHere.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("mesh.reachability.endpoint-probe-interval", "2s");
            try {
                config.put(
                        "mesh.state-dir",
                        Files.createTempDirectory("out-of-process-state-").toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return config;
        }
    }

    @AfterEach
    void heal() {
        SimulatedClustersResource.cluster("homelab").heal();
        SimulatedClustersResource.cluster("cloud").heal();
    }

    @Test
    void kubeconfigsOfSimulatedClustersNameTheSimulatorsNetwork() throws Exception {
        String kubeconfig =
                Files.readString(SimulatedClustersResource.kubeconfigDir().resolve("homelab"));
        assertThat(kubeconfig).containsPattern("network: http://127\\.0\\.0\\.1:\\d+/simulated-network/v1");
    }

    @Test
    void aServiceWithoutTheSimulationDialsThroughTheSimulatorAndGetsRealVerdicts() {
        MeshStates.homelabAndCloudConnected();
        awaitPairs(Map.of("homelab|cloud", "ok", "cloud|homelab", "ok"), TARGET);
        List<Map<String, Object>> pairs =
                serviceVantagePairs(viewer().get("/api/v1/reachability").jsonPath());
        assertThat(pairs).allSatisfy(p -> {
            assertThat(p.get("vantage")).isEqualTo("simulated");
            assertThat(p.get("simulated")).isEqualTo(true);
            assertThat((List<?>) p.get("checks")).isNotEmpty();
        });
        HealthWaits.awaitHealth(200, Duration.ofSeconds(60), h -> {});
    }

    @Test
    void aRemovedPortForwardIsSeenWithin10sAndItsReturnToo() {
        MeshStates.homelabAndCloudConnected();
        HealthWaits.awaitHealth(200, Duration.ofSeconds(60), h -> {});
        HealthWaits.removedPortForwardIsSeenAndHealed(SimulatedClustersResource.cluster("homelab"), TARGET);
        assertThat(resultOf("cloud", "homelab")).isEqualTo("ok");
    }

    @Test
    void aBlackHoledClusterTimesOutThroughTheSimulatorsNetwork() {
        MeshStates.homelabAndCloudConnected();
        awaitPairs(Map.of("homelab|cloud", "ok"), TARGET);
        SimulatedClustersResource.cluster("cloud").inject(SimulatedFault.BLACKHOLE);
        awaitPairs(Map.of("homelab|cloud", "timeout"), TARGET);
        SimulatedClustersResource.cluster("cloud").heal();
        awaitPairs(Map.of("homelab|cloud", "ok"), TARGET);
    }

    /** The service's own dials, as served in the latest snapshot (what health judged); never probing on read. */
    private static List<Map<String, Object>> serviceVantagePairs(JsonPath matrix) {
        List<Map<String, Object>> pairs = matrix.getList("pairs");
        return pairs.stream().filter(p -> !"remote".equals(p.get("vantage"))).toList();
    }

    private static String resultOf(String from, String to) {
        return serviceVantagePairs(viewer().get("/api/v1/snapshot").jsonPath().setRootPath("contributed.reachability"))
                .stream()
                .filter(p -> from.equals(p.get("from")) && to.equals(p.get("to")))
                .map(p -> (String) p.get("result"))
                .findFirst()
                .orElseThrow();
    }

    private static void awaitPairs(Map<String, String> expected, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> expected.forEach((pair, r) -> {
                    String[] ends = pair.split("\\|");
                    assertThat(resultOf(ends[0], ends[1])).as(pair).isEqualTo(r);
                }));
    }
}
