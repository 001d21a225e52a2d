package io.clustermesh.controller.sim;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cilium's own Helm chart (../shared/charts), rendered by real Helm (helm-java) with ClusterMesh on
 * and the cronJob TLS methods, so no cluster is asked. {@code -Dcilium.charts.dir} overrides where
 * the packages are; a missing package fails the test (it never skips).
 */
final class CiliumChart {
    static final List<String> VERSIONS = List.of("1.15.0", "1.15.19", "1.16.19", "1.17.17", "1.18.11", "1.19.5");

    private CiliumChart() {}

    static Path chart(String version) {
        Path dir = Path.of(System.getProperty("cilium.charts.dir", "../shared/charts"));
        Path chart = dir.resolve("cilium-" + version + ".tgz");
        if (!Files.isRegularFile(chart)) {
            throw new AssertionError(
                    "Cilium chart " + chart.toAbsolutePath() + " is missing (set -Dcilium.charts.dir)");
        }
        return chart;
    }

    /** The rendered objects for cluster homelab/1 with {@code values} on top of ClusterMesh with KVStoreMesh. */
    static List<HasMetadata> render(String version, Map<String, String> values) {
        var template = new Helm(chart(version))
                .template()
                .withKubeVersion("1.31.0")
                .withName("cilium")
                .withNamespace("kube-system")
                .set("cluster.name", "homelab")
                .set("cluster.id", "1")
                .set("clustermesh.useAPIServer", "true")
                .set("clustermesh.apiserver.kvstoremesh.enabled", "true")
                .set("clustermesh.apiserver.tls.auto.method", "cronJob")
                .set("hubble.tls.auto.method", "cronJob");
        for (var value : values.entrySet()) {
            template = template.set(value.getKey(), value.getValue());
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : template.call().split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    static Deployment apiServerDeployment(List<HasMetadata> objects) {
        return objects.stream()
                .filter(o ->
                        o instanceof Deployment && o.getMetadata().getName().equals("clustermesh-apiserver"))
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the chart rendered no clustermesh-apiserver Deployment"));
    }

    static ConfigMap ciliumConfig(List<HasMetadata> objects) {
        return objects.stream()
                .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals("cilium-config"))
                .map(ConfigMap.class::cast)
                .findFirst()
                .orElseThrow();
    }
}
