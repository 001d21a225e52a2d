package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.mesh.Snapshots.NS;
import static io.clustermesh.controller.mesh.Snapshots.after;
import static io.clustermesh.controller.mesh.Snapshots.enabled;
import static io.clustermesh.controller.mesh.Snapshots.fresh;
import static io.clustermesh.controller.mesh.Snapshots.stepNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Disable planned from in-memory snapshots: it deletes exactly what carries our label. */
class DisablePlannerTest {
    private final DisablePlanner planner = new DisablePlanner();
    private final ConnectPlanner connect = new ConnectPlanner(NS, Snapshots.READY_TIMEOUT);

    @Test
    void deletesEverythingEnableWrote() {
        Plan plan = planner.plan(enabled("homelab", 1), false);

        assertThat(stepNames(plan))
                .containsExactlyInAnyOrder(
                        "homelab: delete Deployment kube-system/" + CiliumNames.APISERVER,
                        "homelab: delete Service kube-system/" + CiliumNames.APISERVER,
                        "homelab: delete Service kube-system/" + CiliumNames.APISERVER_METRICS_SERVICE,
                        "homelab: delete ServiceAccount kube-system/" + CiliumNames.APISERVER,
                        "homelab: delete Secret kube-system/" + ApiServerObjects.MESH_CA_SECRET,
                        "homelab: delete Secret kube-system/" + CiliumNames.SERVER_CERT_SECRET,
                        "homelab: delete Secret kube-system/" + CiliumNames.ADMIN_CERT_SECRET,
                        "homelab: delete Secret kube-system/" + CiliumNames.REMOTE_CERT_SECRET,
                        "homelab: delete Secret kube-system/" + CiliumNames.LOCAL_CERT_SECRET,
                        "homelab: delete ClusterRoleBinding " + CiliumNames.APISERVER,
                        "homelab: delete ClusterRole " + CiliumNames.APISERVER);
        // The Deployment goes first, the RBAC it runs with last.
        assertThat(stepNames(plan).get(0)).isEqualTo("homelab: delete Deployment kube-system/" + CiliumNames.APISERVER);
        assertThat(stepNames(plan).get(stepNames(plan).size() - 1))
                .isEqualTo("homelab: delete ClusterRole " + CiliumNames.APISERVER);
    }

    @Test
    void aDisabledClusterPlansNothing() {
        ClusterSnapshot enabled = enabled("homelab", 1);
        ClusterSnapshot disabled = after(enabled, planner.plan(enabled, false));

        assertThat(planner.plan(disabled, false).steps()).isEmpty();
        assertThat(planner.plan(fresh("cloud", 2), false).steps()).isEmpty();
    }

    @Test
    void onCilium119TheEtcdUsersConfigMapGoesToo() {
        Plan plan = planner.plan(enabled(fresh("homelab", 1, "1.19.5")), false);

        assertThat(stepNames(plan))
                .contains("homelab: delete ConfigMap kube-system/" + ApiServerObjects.REMOTE_USERS_CONFIG_MAP);
    }

    @Test
    void aClusterRoleSomeoneElseOwnsStays() {
        ClusterSnapshot enabled = enabled("homelab", 1);
        ClusterRole theirs = Serialization.clone(enabled.clusterRole().orElseThrow());
        theirs.getMetadata().getLabels().clear();

        Plan plan = planner.plan(Snapshots.with(enabled, theirs), false);

        assertThat(stepNames(plan))
                .doesNotContain("homelab: delete ClusterRole " + CiliumNames.APISERVER)
                .contains("homelab: delete ClusterRoleBinding " + CiliumNames.APISERVER);
    }

    @Test
    void remainingLinksAreRefusedUnlessForced() {
        ClusterSnapshot homelab = enabled("homelab", 1);
        ClusterSnapshot cloud = enabled("cloud", 2);
        ClusterSnapshot linked = after(homelab, connect.connect(List.of(homelab, cloud), List.of()));

        assertThatThrownBy(() -> planner.plan(linked, false)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.LINKS_REMAIN);
            assertThat(e.field()).isEqualTo("force");
            assertThat(e.getMessage()).contains("cloud");
        });
        Plan forced = planner.plan(linked, true);
        assertThat(forced.warnings()).singleElement().asString().contains("cloud");
        assertThat(stepNames(forced))
                .contains(
                        "homelab: delete Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET,
                        "homelab: delete Secret kube-system/" + CiliumNames.CLUSTERMESH_SECRET);
    }

    @Test
    void gitOpsManagedCiliumIsRefused() {
        ClusterSnapshot argo = Snapshots.withOwner(
                "homelab", 1, "1.18.11", new CiliumOwner(CiliumOwner.ARGOCD, "cilium", "argocd", null, "a label"));

        assertThatThrownBy(() -> planner.plan(argo, false))
                .isInstanceOfSatisfying(
                        GitOpsManagedException.class,
                        e -> assertThat(e.values()).contains("useAPIServer: false"));
    }
}
