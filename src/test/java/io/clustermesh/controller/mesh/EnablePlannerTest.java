package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.mesh.Snapshots.NS;
import static io.clustermesh.controller.mesh.Snapshots.after;
import static io.clustermesh.controller.mesh.Snapshots.enablePlanner;
import static io.clustermesh.controller.mesh.Snapshots.fresh;
import static io.clustermesh.controller.mesh.Snapshots.stepNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.cilium.ApiServerChart;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.CiliumRelease;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.problems.GitOpsManagedException;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Enable planned from snapshots built in memory: no cluster is read, so each case is one snapshot in, steps out. */
class EnablePlannerTest {

    private static Plan plan(ClusterSnapshot s, String serviceType, String ca) {
        return plan(s, serviceType, ca, Optional.empty());
    }

    private static Plan plan(ClusterSnapshot s, String serviceType, String ca, Optional<CertificateAuthority> shared) {
        return enablePlanner()
                .plan(
                        s,
                        EnablePlanner.validate(new EnableRequest(serviceType, null, ca)),
                        shared,
                        List.of(),
                        List.of());
    }

    @ParameterizedTest(name = "Cilium {0}")
    @ValueSource(strings = {"1.15.0", "1.16.6", "1.17.2", "1.18.11", "1.19.5"})
    void freshClusterGetsTheChartShapedObjectsThenWaitsForTheApiserver(String version) {
        Plan plan = plan(fresh("homelab", 1, version), "NodePort", "own");

        List<String> expected = new ArrayList<>(List.of(
                "homelab: create Secret kube-system/" + ApiServerObjects.MESH_CA_SECRET,
                "homelab: create Secret kube-system/" + CiliumNames.SERVER_CERT_SECRET,
                "homelab: create Secret kube-system/" + CiliumNames.ADMIN_CERT_SECRET,
                "homelab: create Secret kube-system/" + CiliumNames.REMOTE_CERT_SECRET,
                "homelab: create Secret kube-system/" + CiliumNames.LOCAL_CERT_SECRET,
                "homelab: create ServiceAccount kube-system/" + CiliumNames.APISERVER,
                "homelab: create ClusterRole " + CiliumNames.APISERVER,
                "homelab: create ClusterRoleBinding " + CiliumNames.APISERVER,
                "homelab: create Service kube-system/" + CiliumNames.APISERVER,
                "homelab: create Service kube-system/" + CiliumNames.APISERVER_METRICS_SERVICE));
        // 1.19's apiserver reads one etcd user per connected remote from a ConfigMap.
        if (ApiServerChart.of(CiliumRelease.parse(version)).clusterUsers()) {
            expected.add("homelab: create ConfigMap kube-system/" + ApiServerObjects.REMOTE_USERS_CONFIG_MAP);
        }
        expected.add("homelab: create Deployment kube-system/" + CiliumNames.APISERVER);
        expected.add("homelab: wait for clustermesh-apiserver ready");
        assertThat(stepNames(plan)).containsExactlyElementsOf(expected);
        Deployment deployment = written(plan, Deployment.class);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("quay.io/cilium/clustermesh-apiserver:v" + version);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NodePort, own", "LoadBalancer, own", "ClusterIP, shared", "Tailscale, own"})
    void anEnabledClusterPlansNothing(String serviceType, String ca) {
        ClusterSnapshot fresh = fresh("cloud", 2);
        ClusterSnapshot enabled = after(fresh, plan(fresh, serviceType, ca));

        assertThat(plan(enabled, serviceType, ca).steps()).isEmpty();
        // The same cluster asked for something else is not converged: the empty plan above is earned.
        String other = "NodePort".equals(serviceType) ? "LoadBalancer" : "NodePort";
        assertThat(stepNames(plan(enabled, other, ca)))
                .contains("cloud: update Service kube-system/" + CiliumNames.APISERVER);
    }

    @Test
    void anApiserverStillRollingOutIsOnlyAwaited() {
        ClusterSnapshot fresh = fresh("cloud", 2);
        ClusterSnapshot enabled = after(fresh, plan(fresh, "NodePort", "own"));
        Deployment rolling = Serialization.clone(enabled.apiserver().orElseThrow());
        rolling.getStatus().setReadyReplicas(0);
        rolling.getStatus().setAvailableReplicas(0);

        Plan plan = plan(Snapshots.with(enabled, rolling), "NodePort", "own");

        assertThat(stepNames(plan)).containsExactly("cloud: wait for clustermesh-apiserver ready");
    }

    @Test
    void aSharedCaFromAnotherClusterSignsTheCertificates() {
        CertificateAuthority shared = ClusterMeshCertificates.generateCa(Snapshots.CLOCK);

        Plan plan = plan(fresh("cloud", 2), "NodePort", "shared", Optional.of(shared));

        Secret ca = written(plan, Secret.class, ApiServerObjects.MESH_CA_SECRET);
        assertThat(ApiServerObjects.decode(ca, CiliumNames.CA_CRT)).isEqualTo(shared.certificatePem());
        assertThat(stepNames(plan)).contains("release lock '" + MeshService.SHARED_CA_LOCK + "'");
        assertThat(stepNames(plan(fresh("cloud", 2), "NodePort", "own", Optional.of(shared))))
                .doesNotContain("release lock '" + MeshService.SHARED_CA_LOCK + "'");
    }

    @Test
    void gitOpsManagedCiliumIsRefusedWithTheValuesToCommit() {
        ClusterSnapshot argo = Snapshots.withOwner(
                "cloud", 2, "1.18.11", new CiliumOwner(CiliumOwner.ARGOCD, "cilium", "argocd", null, "a label"));

        assertThatThrownBy(() -> plan(argo, "NodePort", "own"))
                .isInstanceOfSatisfying(
                        GitOpsManagedException.class,
                        e -> assertThat(e.values())
                                .contains("useAPIServer: true")
                                .contains("cloud"));
        assertThat(plan(fresh("cloud", 2), "NodePort", "own").steps()).isNotEmpty();
    }

    @Test
    void theGitOpsValuesNameTheAddressRemotesDialInTheServerCertificate() {
        ClusterSnapshot argo = Snapshots.withOwner(
                "homelab", 1, "1.18.11", new CiliumOwner(CiliumOwner.ARGOCD, "cilium", "argocd", null, "a label"));
        assertThatThrownBy(() -> enablePlanner()
                        .plan(
                                argo,
                                EnablePlanner.validate(new EnableRequest("NodePort", null, "own")),
                                Optional.empty(),
                                List.of("homelab.example.net"),
                                List.of("198.51.100.200")))
                .isInstanceOfSatisfying(
                        GitOpsManagedException.class,
                        e -> assertThat(e.values())
                                .contains("extraDnsNames:\n", "- homelab.example.net")
                                .contains("extraIpAddresses:\n", "- 198.51.100.200"));
        // Without an address to add, the snippet has no server section (as before).
        assertThatThrownBy(() -> plan(argo, "NodePort", "own"))
                .isInstanceOfSatisfying(
                        GitOpsManagedException.class,
                        e -> assertThat(e.values()).doesNotContain("extraDnsNames"));
    }

    @Test
    void anApiserverServiceSomeoneElseCreatedIsNeverOverwritten() {
        var helmService = new ServiceBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withNamespace(NS)
                .addToLabels(CiliumNames.HELM_MANAGED_BY_LABEL, CiliumNames.HELM_MANAGED_BY_VALUE)
                .addToAnnotations(CiliumNames.HELM_RELEASE_ANNOTATION, "cilium")
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .endSpec()
                .build();

        assertThatThrownBy(() -> plan(Snapshots.with(fresh("cloud", 2), helmService), "NodePort", "own"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.HELM_MANAGED));
    }

    @ParameterizedTest(name = "cluster-id {0}")
    @ValueSource(ints = {0, 256})
    void anInvalidClusterIdIsRefused(int id) {
        assertThatThrownBy(() -> plan(fresh("cloud", id), "NodePort", "own"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_CLUSTER_ID));
    }

    @Test
    void aReleaseOutsideTheChartsIsRefused() {
        assertThatThrownBy(() -> plan(fresh("cloud", 2, "1.14.9"), "NodePort", "own"))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.UNSUPPORTED_CILIUM_VERSION));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            value = {
                "Gateway;;;serviceType",
                "LoadBalancer;31000;;nodePort",
                "NodePort;80;;nodePort",
                "NodePort;;mine;ca"
            },
            delimiter = ';')
    void badRequestsNameTheFieldAtFault(String serviceType, Integer nodePort, String ca, String field) {
        assertThatThrownBy(() -> EnablePlanner.validate(new EnableRequest(serviceType, nodePort, ca)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    private static <T> T written(Plan plan, Class<T> type) {
        return plan.steps().stream()
                .filter(Step.Write.class::isInstance)
                .map(s -> ((Step.Write) s).desired())
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow();
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T written(
            Plan plan, Class<T> type, String name) {
        return plan.steps().stream()
                .filter(Step.Write.class::isInstance)
                .map(s -> ((Step.Write) s).desired())
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
