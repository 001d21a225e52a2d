package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.ApiServerChart;
import io.clustermesh.controller.cilium.CiliumRelease;
import io.clustermesh.controller.support.CiliumCharts;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The values a GitOps-managed cluster gets for a Tailscale enable, rendered by Cilium's own chart:
 * the Service they produce is one the Tailscale operator exposes, with our host name. Cilium 1.15's
 * chart has no {@code loadBalancerClass} value (a LoadBalancer there would go to the cloud's load
 * balancer), so it gets the operator's annotation form.
 */
class TailscaleGitOpsValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.15.0", "1.16.19", "1.18.11", "1.19.5"})
    void theChartRendersAServiceTheOperatorExposes(String version) throws Exception {
        String values = EnablePlanner.tailscaleValues("cloud", 2, ApiServerChart.of(CiliumRelease.parse(version)));
        Path file = Files.createTempFile("tailscale-values-", ".yaml");
        try {
            Files.writeString(file, values);
            var rendered = CiliumCharts.render(version, List.of(file), Map.of()).stream()
                    .filter(o -> "Service".equals(o.path("kind").asText())
                            && "clustermesh-apiserver"
                                    .equals(o.path("metadata").path("name").asText()))
                    .findFirst()
                    .orElseThrow();
            Service service = Serialization.unmarshal(rendered.toString(), Service.class);
            assertThat(TailscaleExposure.isExposed(service))
                    .as("exposed by the Tailscale operator:%n%s", values)
                    .isTrue();
            assertThat(TailscaleExposure.hostname(service)).isEqualTo("clustermesh-cloud");
            if (version.startsWith("1.15")) {
                assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
            } else {
                assertThat(service.getSpec().getLoadBalancerClass()).isEqualTo("tailscale");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
