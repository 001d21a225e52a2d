package io.clustermesh.controller.support;

import java.util.Map;

/**
 * The demo's mixed mesh installed the way most users install Cilium: {@code helm install} of Cilium's
 * own chart packages (homelab 1.15.0, cloud 1.18.11) with real Helm into the simulated clusters, so
 * each holds a release record and the chart's objects before the service starts.
 */
public class HelmInstalledClustersResource extends SimulatedClustersResource.MixedVersions {
    public static final Map<String, String> VERSIONS = Map.of("homelab", "1.15.0", "cloud", "1.18.11");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        VERSIONS.forEach((name, version) -> {
            var cluster = cluster(name);
            HelmInstalls.install(cluster, version, HelmInstalls.clusterValues(cluster));
        });
        return config;
    }
}
