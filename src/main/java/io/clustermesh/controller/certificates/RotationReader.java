package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.pki.CaBundle;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a {@link RotationSnapshot}. Which clusters share the CA or hold entries is only known by
 * reading all of them; a cluster that does not answer refuses the rotation (it may be one that
 * must change with it).
 */
final class RotationReader {
    private final ClusterRegistry registry;
    private final FanOut fanOut;
    private final String namespace;

    RotationReader(ClusterRegistry registry, FanOut fanOut, String namespace) {
        this.registry = registry;
        this.fanOut = fanOut;
        this.namespace = namespace;
    }

    RotationSnapshot read(ManagedCluster target, boolean rotateCa) {
        Secret meshCa = meshCaOf(target)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.CLUSTERMESH_NOT_ENABLED,
                        "cluster " + target.name() + " has no " + ApiServerObjects.MESH_CA_SECRET
                                + "; enable ClusterMesh on it with this service first (PUT /api/v1/clusters/"
                                + target.name() + "/clustermesh)"));
        // A shared CA (the enable default) changes in every cluster that holds it, phase by phase.
        List<ManagedCluster> group = new ArrayList<>();
        group.add(target);
        if (rotateCa) {
            String skid = skidOf(ApiServerObjects.decode(meshCa, CiliumNames.CA_CRT));
            askOthers(
                            group,
                            c -> meshCaOf(c).map(ca -> ApiServerObjects.decode(ca, CiliumNames.CA_CRT)),
                            "it may share the mesh CA being rotated")
                    .forEach((c, pem) -> {
                        if (pem.isPresent() && pem.get() != null && skid.equals(skidOf(pem.get()))) {
                            group.add(c);
                        }
                    });
        }
        List<RotationSnapshot.Member> members = new ArrayList<>();
        for (ManagedCluster member : group) {
            members.add(member(member, group));
        }
        return new RotationSnapshot(target.name(), rotateCa, members);
    }

    private RotationSnapshot.Member member(ManagedCluster cluster, List<ManagedCluster> group) {
        var gw = cluster.gateway();
        String ciliumName = gw.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .map(CiliumConfig::clusterName)
                .orElse(cluster.name());
        List<Secret> leaves = new ArrayList<>();
        CiliumNames.TLS_SECRETS.forEach(name -> gw.secret(namespace, name).ifPresent(leaves::add));
        Optional<CiliumVersion> version = gw.daemonSet(namespace, CiliumNames.AGENT_DAEMONSET)
                .flatMap(ds -> ds.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> CiliumNames.AGENT_CONTAINER.equals(c.getName()))
                        .findFirst())
                .map(c -> ClusterOverviewService.versionOfImage(c.getImage()))
                .map(CiliumVersion::parse);
        String caKey = ClusterMeshSecretEntries.entryKeysFor(ciliumName, false).get(1);
        List<RotationSnapshot.Holder> holders = new ArrayList<>();
        askOthers(
                        group,
                        c -> entrySecrets(c, caKey),
                        "it may hold entries for " + cluster.name() + " that must change with its certificates")
                .forEach((holder, secrets) -> {
                    if (!secrets.isEmpty()) {
                        holders.add(new RotationSnapshot.Holder(holder.name(), secrets));
                    }
                });
        return new RotationSnapshot.Member(
                cluster.name(),
                ciliumName,
                meshCaOf(cluster).orElseThrow(),
                leaves,
                gw.deployment(namespace, CiliumNames.APISERVER),
                version,
                holders);
    }

    /** The Secrets of {@code cluster} that hold an entry keyed {@code caKey}. */
    private List<Secret> entrySecrets(ManagedCluster cluster, String caKey) {
        return List.of(CiliumNames.KVSTOREMESH_SECRET, CiliumNames.CLUSTERMESH_SECRET).stream()
                .map(n -> cluster.gateway().secret(namespace, n))
                .flatMap(Optional::stream)
                .filter(s -> s.getData() != null && s.getData().containsKey(caKey))
                .toList();
    }

    /** What {@code read} finds in every managed cluster outside {@code except}, by name; all must answer. */
    private <T> Map<ManagedCluster, T> askOthers(
            List<ManagedCluster> except, Function<ManagedCluster, T> read, String whyAsked) {
        List<ManagedCluster> others = registry.clusters().stream()
                .filter(c -> except.stream().noneMatch(e -> e.name().equals(c.name())))
                .sorted(Comparator.comparing(ManagedCluster::name))
                .toList();
        var answers = fanOut.ask(others, read::apply);
        Map<ManagedCluster, T> found = new LinkedHashMap<>();
        for (ManagedCluster c : others) {
            var answer = answers.get(c);
            if (!answer.ok()) {
                throw new ProblemException(
                        ProblemType.CLUSTER_UNREACHABLE,
                        "cluster " + c.name() + " did not answer (" + answer.error() + "); " + whyAsked,
                        "cluster");
            }
            found.put(c, answer.value());
        }
        return found;
    }

    private Optional<Secret> meshCaOf(ManagedCluster cluster) {
        return cluster.gateway().secret(namespace, ApiServerObjects.MESH_CA_SECRET);
    }

    private static String skidOf(String pem) {
        return CaBundle.subjectKeyIdHex(Pem.parseCertificate(pem));
    }
}
