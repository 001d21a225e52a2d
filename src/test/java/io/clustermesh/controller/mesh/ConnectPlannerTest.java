package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.mesh.Snapshots.NS;
import static io.clustermesh.controller.mesh.Snapshots.after;
import static io.clustermesh.controller.mesh.Snapshots.enabled;
import static io.clustermesh.controller.mesh.Snapshots.fresh;
import static io.clustermesh.controller.mesh.Snapshots.stepNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.ApiServerDeployments;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.cilium.MeshMember;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connect and disconnect planned from in-memory snapshots of enabled clusters: steps out, or a refusal. */
class ConnectPlannerTest {
    private final ConnectPlanner planner = new ConnectPlanner(NS, Snapshots.READY_TIMEOUT);

    private Plan connect(ClusterSnapshot... clusters) {
        return planner.connect(List.of(clusters), List.of());
    }

    private static List<ClusterSnapshot> afterBoth(Plan plan, ClusterSnapshot a, ClusterSnapshot b) {
        return List.of(after(a, plan), after(b, plan));
    }

    @Test
    void eachSideGetsEntriesForTheOtherAndHostAliasesToItsNodes() {
        ClusterSnapshot homelab = enabled("homelab", 1);
        ClusterSnapshot cloud = enabled("cloud", 2);

        Plan plan = connect(homelab, cloud);

        assertThat(stepNames(plan))
                .containsExactly(
                        "homelab: create Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET,
                        "homelab: create Secret kube-system/" + CiliumNames.CLUSTERMESH_SECRET,
                        "homelab: update Deployment kube-system/" + CiliumNames.APISERVER,
                        "cloud: create Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET,
                        "cloud: create Secret kube-system/" + CiliumNames.CLUSTERMESH_SECRET,
                        "cloud: update Deployment kube-system/" + CiliumNames.APISERVER);
        ClusterSnapshot homelabAfter = after(homelab, plan);
        assertThat(homelabAfter.linkedRemotes()).containsExactly("cloud");
        assertThat(ApiServerObjects.decodeAll(
                        homelabAfter.secret(CiliumNames.KVSTOREMESH_SECRET).orElseThrow()))
                .containsKey("cloud");
        // cloud is dialled at its node's address behind the mesh host name its server certificate names.
        assertThat(ApiServerDeployments.hostAliases(homelabAfter.apiserver().orElseThrow()))
                .anySatisfy(alias -> {
                    assertThat(alias.getIp()).isEqualTo("192.168.2.10");
                    assertThat(alias.getHostnames()).contains("cloud." + CiliumNames.MESH_DOMAIN);
                });
    }

    @Test
    void connectedClustersPlanNothing() {
        ClusterSnapshot homelab = enabled("homelab", 1);
        ClusterSnapshot cloud = enabled("cloud", 2);
        List<ClusterSnapshot> linked = afterBoth(connect(homelab, cloud), homelab, cloud);

        assertThat(planner.connect(linked, List.of()).steps()).isEmpty();
        // A third cluster joining is not converged: the empty plan above is earned.
        ClusterSnapshot edge = enabled("edge", 3);
        assertThat(planner.connect(List.of(linked.get(0), linked.get(1), edge), List.of())
                        .steps())
                .isNotEmpty();
    }

    @Test
    void aClusterWithoutClusterMeshIsRefused() {
        assertThatThrownBy(() -> connect(enabled("homelab", 1), fresh("cloud", 2)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.CLUSTERMESH_NOT_ENABLED);
                    assertThat(e.getMessage()).contains("cloud");
                });
    }

    @Test
    void duplicateClusterIdsAreRefused() {
        assertThatThrownBy(() -> connect(enabled("homelab", 1), enabled("cloud", 1)))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.DUPLICATE_CLUSTER_ID));
    }

    @Test
    void aNameAlreadyUsedInTheMeshIsRefused() {
        var peer = new MeshMember(
                "old-cloud",
                CiliumConfig.fromData(Map.of(CiliumNames.KEY_CLUSTER_NAME, "cloud", CiliumNames.KEY_CLUSTER_ID, "9")));

        assertThatThrownBy(() -> planner.connect(List.of(enabled("homelab", 1), enabled("cloud", 2)), List.of(peer)))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.DUPLICATE_CLUSTER_NAME));
        assertThat(planner.connect(List.of(enabled("homelab", 1), enabled("cloud", 2)), List.of())
                        .steps())
                .isNotEmpty();
    }

    @Test
    void gitOpsManagedCiliumIsRefusedWithTheEntriesToCommit() {
        ClusterSnapshot flux = enabled("cloud", 2);
        ClusterSnapshot fluxOwned = new ClusterSnapshot(
                flux.name(),
                flux.settings(),
                flux.config(),
                flux.ciliumHelm(),
                flux.agentImage(),
                new CiliumOwner(CiliumOwner.FLUX, "cilium", "flux-system", null, "a label"),
                flux.apiserver(),
                flux.services(),
                flux.secrets(),
                flux.remoteUsers(),
                flux.serviceAccount(),
                flux.clusterRole(),
                flux.clusterRoleBinding(),
                flux.nodes(),
                flux.hostnameAddresses(),
                flux.owned());

        assertThatThrownBy(() -> connect(enabled("homelab", 1), fluxOwned))
                .isInstanceOfSatisfying(
                        GitOpsManagedException.class,
                        e -> assertThat(e.values()).contains("homelab"));
    }

    @Test
    void disconnectRemovesWhatConnectWroteAndThenNothing() {
        ClusterSnapshot homelab = enabled("homelab", 1);
        ClusterSnapshot cloud = enabled("cloud", 2);
        List<ClusterSnapshot> linked = afterBoth(connect(homelab, cloud), homelab, cloud);

        Plan disconnect = planner.disconnect(linked.get(0), linked.get(1));

        assertThat(stepNames(disconnect))
                .containsExactly(
                        "homelab: update Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET,
                        "homelab: update Secret kube-system/" + CiliumNames.CLUSTERMESH_SECRET,
                        "homelab: update Deployment kube-system/" + CiliumNames.APISERVER,
                        "cloud: update Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET,
                        "cloud: update Secret kube-system/" + CiliumNames.CLUSTERMESH_SECRET,
                        "cloud: update Deployment kube-system/" + CiliumNames.APISERVER);
        List<ClusterSnapshot> apart = afterBoth(disconnect, linked.get(0), linked.get(1));
        assertThat(apart.get(0).linkedRemotes()).isEmpty();
        assertThat(ApiServerObjects.decodeAll(
                        apart.get(0).secret(CiliumNames.KVSTOREMESH_SECRET).orElseThrow()))
                .isEmpty();
        assertThat(ApiServerDeployments.hostAliases(apart.get(0).apiserver().orElseThrow()))
                .isEmpty();
        assertThat(planner.disconnect(apart.get(0), apart.get(1)).steps()).isEmpty();
    }

    @Test
    void disconnectKeepsEntriesSomeoneElseWrote() {
        ClusterSnapshot homelab = enabled("homelab", 1);
        ClusterSnapshot cloud = enabled("cloud", 2);
        List<ClusterSnapshot> linked = afterBoth(connect(homelab, cloud), homelab, cloud);
        // Someone adds an entry for "cloud" by hand to a Secret that does not list cloud as ours.
        Secret handWritten = Serialization.clone(
                linked.get(0).secret(CiliumNames.KVSTOREMESH_SECRET).orElseThrow());
        handWritten.getMetadata().getAnnotations().put(MeshLabels.WRITTEN_REMOTES, "");
        ClusterSnapshot homelabByHand = Snapshots.with(linked.get(0), handWritten);

        Plan disconnect = planner.disconnect(homelabByHand, linked.get(1));

        assertThat(stepNames(disconnect))
                .doesNotContain("homelab: update Secret kube-system/" + CiliumNames.KVSTOREMESH_SECRET);
        assertThat(ApiServerObjects.decodeAll(after(homelabByHand, disconnect)
                                .secret(CiliumNames.KVSTOREMESH_SECRET)
                                .orElseThrow())
                        .keySet())
                .contains("cloud");
    }
}
