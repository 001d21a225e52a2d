package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerImage;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.CiliumRelease;
import io.clustermesh.controller.cilium.HelmOwnership;
import io.clustermesh.controller.cilium.HelmReleaseRecord;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/** What a planner needs to know about one cluster, read once per mutation. */
record ClusterSnapshot(
        ManagedCluster cluster,
        CiliumConfig config,
        HelmOwnership ciliumHelm,
        String agentImage,
        Optional<Deployment> apiserver,
        Optional<Service> service,
        Optional<Secret> meshCa,
        Optional<Secret> remoteCert,
        Optional<Secret> serverCert,
        CiliumOwner owner) {

    String name() {
        return cluster.name();
    }

    ClusterGateway gateway() {
        return cluster.gateway();
    }

    boolean enabled() {
        return apiserver.isPresent();
    }

    /** The agents' version as written in their image tag, e.g. {@code 1.18.11}. */
    String ciliumVersion() {
        return ClusterOverviewService.versionOfImage(agentImage);
    }

    /** The agents' release, refused (409) outside the range whose charts we render. */
    CiliumRelease release() {
        String version = ciliumVersion();
        CiliumRelease release;
        try {
            release = CiliumRelease.parse(version == null ? "" : version);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    ProblemType.UNSUPPORTED_CILIUM_VERSION,
                    "cluster " + name() + ": the cilium-agent image "
                            + agentImage + " carries no version tag; ClusterMesh can be managed for Cilium "
                            + CiliumRelease.SUPPORTED_RANGE
                            + " (set mesh.clusters." + name()
                            + ".apiserver-image if a digest-only image hides the version)",
                    "cluster");
        }
        return release.requireSupported(name());
    }

    String apiserverImage() {
        return ApiServerImage.forCluster(
                agentImage,
                release(),
                cluster.settings().flatMap(s -> s.apiserverImage()).orElse(null));
    }

    static ClusterSnapshot read(ManagedCluster cluster, String namespace) {
        ClusterGateway gateway = cluster.gateway();
        ConfigMap configMap = gateway.configMap(namespace, CiliumNames.CONFIG_MAP)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + cluster.name() + ": ConfigMap " + namespace + "/" + CiliumNames.CONFIG_MAP
                                + " not found; install Cilium (or set mesh.namespace) first",
                        "cluster"));
        Optional<DaemonSet> agents = gateway.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET);
        String agentImage = agents.flatMap(ds -> ds.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> CiliumNames.AGENT_CONTAINER.equals(c.getName()))
                        .findFirst())
                .map(Container::getImage)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        "cluster " + cluster.name() + ": DaemonSet " + namespace + "/" + CiliumNames.AGENT_DAEMONSET
                                + " with container " + CiliumNames.AGENT_CONTAINER + " not found",
                        "cluster"));
        return new ClusterSnapshot(
                cluster,
                CiliumConfig.from(configMap),
                HelmOwnership.of(configMap.getMetadata()),
                agentImage,
                gateway.deployment(namespace, CiliumNames.APISERVER),
                gateway.service(namespace, CiliumNames.APISERVER),
                gateway.secret(namespace, ApiServerObjects.MESH_CA_SECRET),
                gateway.secret(namespace, CiliumNames.REMOTE_CERT_SECRET),
                gateway.secret(namespace, CiliumNames.SERVER_CERT_SECRET),
                CiliumOwner.fromMarkers(agents.map(DaemonSet::getMetadata).orElse(null), configMap.getMetadata())
                        .withReleaseRecords(gateway.list(Secret.class, namespace, HelmReleaseRecord.SELECTOR).stream()
                                .flatMap(secret -> HelmReleaseRecord.decode(secret).stream())
                                .toList()));
    }

    /**
     * A GitOps tool owns Cilium here: nothing is written, the caller gets the values to commit.
     *
     * @param values the chart values expressing the refused change
     */
    void refuseIfGitOps(String change, String values) {
        if (owner.gitops()) {
            throw new GitOpsManagedException(
                    "cluster " + name() + ": Cilium is managed by " + owner.kind() + " ("
                            + (owner.name() == null ? "" : owner.name() + ", ") + "found " + owner.detectedBy()
                            + "); a write here would be reverted at its next sync. "
                            + "Commit these values to the Cilium chart values in Git to " + change + ", then let "
                            + owner.kind() + " sync",
                    values);
        }
    }
}
