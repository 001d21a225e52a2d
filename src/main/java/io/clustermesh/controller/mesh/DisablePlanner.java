package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshValues;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Plans "disable": deletes exactly the objects carrying our label, never anyone else's. */
final class DisablePlanner {
    /**
     * @param cluster read with {@link ClusterSnapshot.Extra#OWNED}
     * @param force disable even while links to other clusters remain
     */
    Plan plan(ClusterSnapshot cluster, boolean force) {
        List<String> remotes = cluster.linkedRemotes();
        if (!remotes.isEmpty() && !force) {
            throw new ProblemException(
                    ProblemType.LINKS_REMAIN,
                    "cluster " + cluster.name() + " is still linked to " + remotes
                            + "; disconnect them first or pass ?force=true",
                    "force");
        }
        cluster.refuseIfGitOps("disable ClusterMesh", ClusterMeshValues.disable());
        List<Step> changes = new ArrayList<>();
        for (HasMetadata object : ours(cluster)) {
            changes.add(Step.Delete.of(cluster.name(), object, summaryOf(object)));
        }
        List<String> warnings = remotes.isEmpty()
                ? List.of()
                : List.of("forced: links to " + remotes
                        + " stop working; their entries in the other clusters stay until you disconnect them");
        return new Plan("disable", cluster.name(), changes, warnings);
    }

    /**
     * What enable and connect wrote, in the order disable deletes it.
     *
     * @param cluster read with {@link ClusterSnapshot.Extra#OWNED}
     */
    static List<HasMetadata> ours(ClusterSnapshot cluster) {
        List<HasMetadata> objects = new ArrayList<>(cluster.owned());
        // 1.19's etcd users ConfigMap, by name: other ConfigMaps of ours (the WireGuard rotation state) outlive the
        // mesh.
        cluster.remoteUsers().filter(cm -> MeshLabels.isOurs(cm.getMetadata())).ifPresent(objects::add);
        // By name: the shipped RBAC grants get on these two names, never list (resourceNames cannot limit list).
        Stream.of(cluster.clusterRoleBinding(), cluster.clusterRole())
                .flatMap(Optional::stream)
                .filter(object -> MeshLabels.isOurs(object.getMetadata()))
                .forEach(objects::add);
        return objects;
    }

    private static String summaryOf(HasMetadata object) {
        String name = object.getMetadata().getName();
        if (name.equals(CiliumNames.CLUSTERMESH_SECRET) || name.equals(CiliumNames.KVSTOREMESH_SECRET)) {
            return "remote cluster entries (created by us)";
        }
        return "created by enable";
    }
}
