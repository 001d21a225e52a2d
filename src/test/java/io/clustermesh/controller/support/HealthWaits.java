package io.clustermesh.controller.support;

import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.sim.SimulatedFault;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.function.Consumer;

/** Waiting for what the served health says, never refreshing it. */
public final class HealthWaits {
    private HealthWaits() {}

    /** Polls {@code GET /api/v1/health} until it answers {@code status} and its body passes {@code names}. */
    public static void awaitHealth(int status, Duration within, Consumer<JsonPath> names) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var response = viewer().get("/api/v1/health");
            assertThat(response.statusCode())
                    .as("health: %s", response.asString())
                    .isEqualTo(status);
            names.accept(response.jsonPath());
        });
    }

    /**
     * Removes homelab's router port-forward behind the service's back: health must answer 503 naming
     * cloud→homelab's refused dial within {@code within}, and 200 within it again once healed.
     */
    public static void removedPortForwardIsSeenAndHealed(SimulatedCluster homelab, Duration within) {
        try {
            homelab.inject(SimulatedFault.PORT_FORWARD_REMOVED);
            awaitHealth(
                    503,
                    within,
                    h -> assertThat(h.<String>getList("links.reason"))
                            .anySatisfy(r -> assertThat(r).contains("cloud→homelab: reachability: refused")));
            homelab.heal();
            awaitHealth(200, within, h -> {});
        } finally {
            homelab.heal();
        }
    }
}
