package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshValues;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plans "disable": deletes exactly the objects carrying our label, never anyone else's. */
final class DisablePlanner {
    private static final List<Class<? extends HasMetadata>> NAMESPACED =
            List.of(Deployment.class, Service.class, ServiceAccount.class, Secret.class);
    private static final List<Class<? extends HasMetadata>> CLUSTER_SCOPED =
            List.of(ClusterRoleBinding.class, ClusterRole.class);

    private final String namespace;

    DisablePlanner(String namespace) {
        this.namespace = namespace;
    }

    /** @param remotes clusters this one still has links to (the caller refuses unless forced) */
    Plan plan(ClusterSnapshot cluster, List<String> remotes) {
        cluster.refuseIfGitOps("disable ClusterMesh", ClusterMeshValues.disable());
        List<Step> changes = new ArrayList<>();
        Map<String, String> ours = Map.of(MeshLabels.MANAGED_BY_KEY, MeshLabels.MANAGED_BY_VALUE);
        for (Class<? extends HasMetadata> kind : NAMESPACED) {
            for (HasMetadata object : cluster.gateway().list(kind, namespace, ours)) {
                changes.add(Step.Delete.of(cluster.name(), object, summaryOf(object)));
            }
        }
        // 1.19's etcd users ConfigMap, by name: other ConfigMaps of ours (the WireGuard rotation state) outlive the
        // mesh.
        cluster.gateway()
                .configMap(namespace, ApiServerObjects.REMOTE_USERS_CONFIG_MAP)
                .filter(cm -> MeshLabels.isOurs(cm.getMetadata()))
                .ifPresent(cm -> changes.add(Step.Delete.of(cluster.name(), cm, summaryOf(cm))));
        // By name: the shipped RBAC grants get on these two names, never list (resourceNames cannot limit list).
        for (Class<? extends HasMetadata> kind : CLUSTER_SCOPED) {
            cluster.gateway()
                    .get(kind, null, CiliumNames.APISERVER)
                    .filter(object -> object.getMetadata().getLabels() != null
                            && MeshLabels.MANAGED_BY_VALUE.equals(
                                    object.getMetadata().getLabels().get(MeshLabels.MANAGED_BY_KEY)))
                    .ifPresent(object -> changes.add(Step.Delete.of(cluster.name(), object, summaryOf(object))));
        }
        List<String> warnings = remotes.isEmpty()
                ? List.of()
                : List.of("forced: links to " + remotes
                        + " stop working; their entries in the other clusters stay until you disconnect them");
        return new Plan("disable", cluster.name(), changes, warnings);
    }

    private static String summaryOf(HasMetadata object) {
        String name = object.getMetadata().getName();
        if (name.equals(CiliumNames.CLUSTERMESH_SECRET) || name.equals(CiliumNames.KVSTOREMESH_SECRET)) {
            return "remote cluster entries (created by us)";
        }
        return "created by enable";
    }
}
