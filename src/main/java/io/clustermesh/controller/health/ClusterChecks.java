package io.clustermesh.controller.health;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.health.spi.Check;
import io.clustermesh.controller.health.spi.CheckStatus;
import io.clustermesh.controller.mesh.ApiServerReadiness;
import io.clustermesh.controller.mesh.ClusterView;
import io.clustermesh.controller.mesh.MeshCertificate;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The built-in checks of one cluster, from what was read. Pure functions: every reason and hint
 * a user can get is decided here, so the table test pins them all.
 */
final class ClusterChecks {
    static final String API = "api";
    static final String CILIUM = "cilium";
    static final String APISERVER = CiliumNames.APISERVER;
    static final String CERTIFICATES = "certificates";

    private ClusterChecks() {}

    static List<Check> of(
            ClusterView view, FanOut.Answer<ClusterFacts> facts, String namespace, int warningDays, Clock clock) {
        List<Check> checks = new ArrayList<>();
        checks.add(api(view));
        if (!view.reachable()) {
            return checks;
        }
        checks.add(cilium(view, namespace));
        boolean enabled = view.mesh() != null && view.mesh().enabled();
        if (facts == null || !facts.ok()) {
            String why = facts == null ? "not read" : facts.error();
            checks.add(Check.warning(
                    APISERVER,
                    "could not read the clustermesh-apiserver and its certificates: " + why,
                    "the API server answered slowly; if this persists raise mesh.client.per-cluster-deadline"));
            return checks;
        }
        checks.add(apiserver(view.name(), facts.value(), enabled, namespace));
        checks.add(certificates(view.name(), facts.value(), enabled, warningDays, clock));
        return checks;
    }

    static Check api(ClusterView view) {
        if (view.reachable()) {
            return Check.ok(API, "API server at " + view.server() + " answered");
        }
        String error =
                view.errors() == null || view.errors().isEmpty() ? "no answer" : String.join("; ", view.errors());
        return Check.failing(
                API,
                "API server at " + view.server() + " did not answer: " + error,
                "check that the API server is up and reachable from here (network, VPN, firewall) and that the kubeconfig context "
                        + view.context() + " holds valid credentials");
    }

    static Check cilium(ClusterView view, String namespace) {
        String install = "install Cilium in " + namespace + " (or set mesh.namespace to where it runs)";
        if (view.errors() != null && !view.errors().isEmpty()) {
            return Check.failing(CILIUM, String.join("; ", view.errors()), install);
        }
        if (view.ciliumVersion() == null) {
            return Check.failing(
                    CILIUM,
                    "DaemonSet " + namespace + "/" + CiliumNames.AGENT_DAEMONSET + " with container "
                            + CiliumNames.AGENT_CONTAINER + " not found",
                    install);
        }
        boolean unnamed = view.clusterName() == null || CiliumNames.DEFAULT_CLUSTER_NAME.equals(view.clusterName());
        boolean unnumbered = view.clusterId() == null || view.clusterId() == 0;
        if (unnamed || unnumbered) {
            return Check.failing(
                    CILIUM,
                    "Cilium " + view.ciliumVersion() + " is not configured for ClusterMesh: cluster-name "
                            + view.clusterName() + ", cluster-id " + view.clusterId(),
                    "set cluster.name (unique, not 'default') and cluster.id (unique, 1-255) in Cilium's Helm values and restart the agents");
        }
        return Check.ok(
                CILIUM,
                "Cilium " + view.ciliumVersion() + ", cluster-name " + view.clusterName() + ", cluster-id "
                        + view.clusterId());
    }

    static Check apiserver(String cluster, ClusterFacts facts, boolean enabled, String namespace) {
        if (facts.apiserver().isEmpty()) {
            return enabled
                    ? Check.failing(
                            APISERVER,
                            "Deployment " + namespace + "/" + CiliumNames.APISERVER + " is gone",
                            "enable ClusterMesh again: PUT /api/v1/clusters/" + cluster + "/clustermesh")
                    : Check.ok(APISERVER, "ClusterMesh not enabled in this cluster");
        }
        var deployment = facts.apiserver().get();
        if (ApiServerReadiness.isReady(deployment)) {
            return Check.ok(APISERVER, "ready (" + ApiServerReadiness.describe(deployment) + ")");
        }
        return Check.failing(
                APISERVER,
                "not ready (" + ApiServerReadiness.describe(deployment) + ")",
                "kubectl -n " + namespace + " describe deployment " + CiliumNames.APISERVER
                        + "; its pods' events and logs say why (image pull, scheduling, etcd init)");
    }

    static Check certificates(String cluster, ClusterFacts facts, boolean enabled, int warningDays, Clock clock) {
        String rotate = "rotate them: POST /api/v1/clusters/" + cluster + "/certificates/rotations";
        if (!facts.unreadable().isEmpty()) {
            return Check.failing(
                    CERTIFICATES, "unreadable certificate in " + String.join(", ", facts.unreadable()), rotate);
        }
        if (facts.certificates().isEmpty()) {
            return enabled
                    ? Check.failing(
                            CERTIFICATES,
                            "no ClusterMesh certificate Secrets found",
                            "enable ClusterMesh again to re-create them: PUT /api/v1/clusters/" + cluster
                                    + "/clustermesh")
                    : Check.ok(CERTIFICATES, "no ClusterMesh certificates (ClusterMesh not enabled)");
        }
        MeshCertificate first = facts.certificates().stream()
                .min(Comparator.comparing(c -> c.info().notAfter()))
                .orElseThrow();
        long days = first.info().daysLeft(clock);
        LocalDate on = LocalDate.ofInstant(first.info().notAfter(), ZoneOffset.UTC);
        if (first.info().isExpired(clock)) {
            return Check.failing(CERTIFICATES, first.what() + " expired on " + on, rotate);
        }
        if (days < warningDays) {
            return Check.warning(CERTIFICATES, first.what() + " expires in " + days + " days (" + on + ")", rotate);
        }
        return Check.ok(
                CERTIFICATES,
                facts.certificates().size() + " certificates; the first to expire is " + first.what() + " in " + days
                        + " days (" + on + ")");
    }

    /** {@code down} only when the API is unreachable; any other warning or failure degrades. */
    static HealthStatus statusOf(List<Check> checks) {
        HealthStatus status = HealthStatus.HEALTHY;
        for (Check check : checks) {
            if (check.name().equals(API) && check.status() == CheckStatus.FAILING) {
                return HealthStatus.DOWN;
            }
            if (check.status() != CheckStatus.OK) {
                status = HealthStatus.DEGRADED;
            }
        }
        return status;
    }
}
