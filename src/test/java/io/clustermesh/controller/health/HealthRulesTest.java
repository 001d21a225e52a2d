package io.clustermesh.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.health.spi.Contribution;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.LinkView;
import io.clustermesh.controller.mesh.MeshCertificate;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.CertificateInfo;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reason and status the built-in checks can give, one named case each. */
class HealthRulesTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final String NS = "kube-system";

    static Stream<Arguments> clusterChecks() {
        return Stream.of(
                Arguments.of(
                        "unreachable API",
                        check(view(false, "1.18.2", "homelab", 1, List.of("no answer within 5000 ms")), null),
                        "api",
                        CheckStatus.FAILING,
                        "API server at https://h:6443 did not answer: no answer within 5000 ms",
                        "kubeconfig context homelab"),
                Arguments.of(
                        "Cilium config missing",
                        check(
                                view(
                                        true,
                                        "1.18.2",
                                        null,
                                        null,
                                        List.of("ConfigMap kube-system/cilium-config not found: is Cilium installed?")),
                                facts(null)),
                        "cilium",
                        CheckStatus.FAILING,
                        "ConfigMap kube-system/cilium-config not found: is Cilium installed?",
                        "install Cilium in kube-system"),
                Arguments.of(
                        "agent DaemonSet missing",
                        check(view(true, null, "homelab", 1, List.of()), facts(null)),
                        "cilium",
                        CheckStatus.FAILING,
                        "DaemonSet kube-system/cilium with container cilium-agent not found",
                        "install Cilium"),
                Arguments.of(
                        "default cluster name",
                        check(view(true, "1.18.2", "default", 1, List.of()), facts(null)),
                        "cilium",
                        CheckStatus.FAILING,
                        "Cilium 1.18.2 is not configured for ClusterMesh: cluster-name default, cluster-id 1",
                        "set cluster.name"),
                Arguments.of(
                        "cluster id 0",
                        check(view(true, "1.18.2", "homelab", 0, List.of()), facts(null)),
                        "cilium",
                        CheckStatus.FAILING,
                        "Cilium 1.18.2 is not configured for ClusterMesh: cluster-name homelab, cluster-id 0",
                        "cluster.id"),
                Arguments.of(
                        "Cilium ready for the mesh",
                        check(view(true, "1.18.2", "homelab", 1, List.of()), facts(null)),
                        "cilium",
                        CheckStatus.OK,
                        "Cilium 1.18.2, cluster-name homelab, cluster-id 1",
                        null),
                Arguments.of(
                        "ClusterMesh not enabled",
                        check(view(true, "1.18.2", "homelab", 1, List.of()), facts(null)),
                        "clustermesh-apiserver",
                        CheckStatus.OK,
                        "ClusterMesh not enabled in this cluster",
                        null),
                Arguments.of(
                        "clustermesh-apiserver ready",
                        check(enabledView(), facts(apiserver(1, 1))),
                        "clustermesh-apiserver",
                        CheckStatus.OK,
                        "ready (ready 1/1, updated 1)",
                        null),
                Arguments.of(
                        "clustermesh-apiserver not ready",
                        check(enabledView(), facts(apiserver(1, 0))),
                        "clustermesh-apiserver",
                        CheckStatus.FAILING,
                        "not ready (ready 0/1, updated 1: 0 of 1 updated replicas available (readiness probe not passed))",
                        "describe deployment clustermesh-apiserver"),
                Arguments.of(
                        "clustermesh-apiserver deleted",
                        check(enabledView(), facts(null)),
                        "clustermesh-apiserver",
                        CheckStatus.FAILING,
                        "Deployment kube-system/clustermesh-apiserver is gone",
                        "PUT /api/v1/clusters/homelab/clustermesh"),
                Arguments.of(
                        "certificates far from expiry",
                        check(enabledView(), facts(apiserver(1, 1), certificate(Duration.ofDays(400)))),
                        "certificates",
                        CheckStatus.OK,
                        "1 certificates; the first to expire is certificate s/tls.crt (CN=admin-homelab) in 400 days (2027-12-30)",
                        null),
                Arguments.of(
                        "certificate expiring soon",
                        check(enabledView(), facts(apiserver(1, 1), certificate(Duration.ofDays(20)))),
                        "certificates",
                        CheckStatus.WARNING,
                        "certificate s/tls.crt (CN=admin-homelab) expires in 20 days (2026-12-15)",
                        "POST /api/v1/clusters/homelab/certificates/rotations"),
                Arguments.of(
                        "certificate expired",
                        check(enabledView(), facts(apiserver(1, 1), certificate(Duration.ofDays(-2)))),
                        "certificates",
                        CheckStatus.FAILING,
                        "certificate s/tls.crt (CN=admin-homelab) expired on 2026-11-23",
                        "certificates/rotations"),
                Arguments.of(
                        "certificates missing while enabled",
                        check(enabledView(), facts(apiserver(1, 1))),
                        "certificates",
                        CheckStatus.FAILING,
                        "no ClusterMesh certificate Secrets found",
                        "PUT /api/v1/clusters/homelab/clustermesh"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterChecks")
    void clusterCheckGivesStatusReasonAndHint(
            String name, List<Check> checks, String check, CheckStatus status, String reason, String hint) {
        Check found =
                checks.stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow();
        assertThat(found.status()).isEqualTo(status);
        assertThat(found.reason()).isEqualTo(reason);
        if (hint == null) {
            assertThat(found.hint()).isNull();
        } else {
            assertThat(found.hint()).contains(hint);
        }
    }

    @Test
    void clusterIsDownOnlyWhenItsApiFailsAndDegradedOnAnyOtherProblem() {
        assertThat(ClusterChecks.statusOf(List.of(Check.failing("api", "r", "h"))))
                .isEqualTo(HealthStatus.DOWN);
        assertThat(ClusterChecks.statusOf(List.of(Check.ok("api", "r"), Check.warning("certificates", "r", "h"))))
                .isEqualTo(HealthStatus.DEGRADED);
        assertThat(ClusterChecks.statusOf(List.of(Check.ok("api", "r"), Check.failing("cilium", "r", "h"))))
                .isEqualTo(HealthStatus.DEGRADED);
        assertThat(ClusterChecks.statusOf(List.of(Check.ok("api", "r"), Check.ok("cilium", "r"))))
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthStatus.worstOf(List.of(HealthStatus.HEALTHY, HealthStatus.DOWN, HealthStatus.DEGRADED)))
                .isEqualTo(HealthStatus.DOWN);
        assertThat(HealthStatus.DEGRADED.exitCode()).isEqualTo(1);
    }

    @Test
    void failingContributedProbeDegradesAReadyLinkAndGivesItsLatency() {
        LinkView link = new LinkView(
                "cloud",
                "homelab",
                "healthy",
                true,
                List.of(
                        new LinkView.Direction(
                                "cloud",
                                "homelab",
                                LinkView.DirectionStatus.READY,
                                3,
                                3,
                                "all 3 agents ready",
                                null,
                                4.0,
                                NOW.instant()),
                        new LinkView.Direction(
                                "homelab",
                                "cloud",
                                LinkView.DirectionStatus.READY,
                                2,
                                2,
                                "all 2 agents ready",
                                null,
                                5.0,
                                NOW.instant())),
                null);
        var probe = new Contribution.DirectionCheck(
                "homelab",
                "cloud",
                Check.failing("reachability", "timeout dialling 203.0.113.10:2379", "open the firewall"),
                1500.0);
        var otherLink = new Contribution.DirectionCheck(
                "cloud", "sim-03", Check.failing("reachability", "refused", "other"), 9.0);
        var health = LinkChecks.of(link, LinkChecks.byDirection(List.of(otherLink, probe)));
        assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(health.reason()).isEqualTo("homelab→cloud: reachability: timeout dialling 203.0.113.10:2379");
        assertThat(health.hint()).isEqualTo("open the firewall");
        assertThat(health.latencyMs()).isEqualTo(1500.0);
        assertThat(LinkChecks.directions(link, LinkChecks.byDirection(List.of(probe))))
                .extracting(Evaluation.DirectionState::up)
                .containsExactly(true, false);
        assertThat(LinkChecks.of(link, Map.of()).reason()).isEqualTo("both directions ready");
    }

    private static List<Check> check(ClusterView view, FanOut.Answer<ClusterFacts> facts) {
        return ClusterChecks.of(view, facts, NS, 30, NOW);
    }

    private static ClusterView view(
            boolean reachable, String version, String clusterName, Integer clusterId, List<String> errors) {
        return new ClusterView(
                "homelab",
                "homelab",
                "https://h:6443",
                false,
                reachable,
                version,
                clusterName,
                clusterId,
                255,
                new ClusterView.MeshState(false, null, List.of(), null, null, null, null),
                null,
                errors);
    }

    private static ClusterView enabledView() {
        return new ClusterView(
                "homelab",
                "homelab",
                "https://h:6443",
                false,
                true,
                "1.18.2",
                "homelab",
                1,
                255,
                new ClusterView.MeshState(true, "NodePort", List.of(), null, null, null, null),
                null,
                List.of());
    }

    private static FanOut.Answer<ClusterFacts> facts(Deployment apiserver, MeshCertificate... certificates) {
        return new FanOut.Answer<>(
                new ClusterFacts(Optional.ofNullable(apiserver), List.of(certificates), List.of()), null, false);
    }

    private static Deployment apiserver(int replicas, int ready) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(1L)
                .withReplicas(replicas)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUpdatedReplicas(replicas)
                .endStatus()
                .build();
    }

    private static MeshCertificate certificate(Duration left) {
        Clock issuedAt = Clock.offset(NOW, left.minus(Duration.ofDays(500)));
        var ca = CertificateAuthority.generate("test CA", Duration.ofDays(2000), issuedAt);
        var issued = ca.issue(ClusterMeshCertificates.client("admin-homelab", Duration.ofDays(500)));
        return new MeshCertificate("homelab", "s", "tls.crt", CertificateInfo.of(issued.certificate(), NOW));
    }
}
