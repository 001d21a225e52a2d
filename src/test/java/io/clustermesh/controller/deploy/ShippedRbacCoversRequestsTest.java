package io.clustermesh.controller.deploy;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static io.clustermesh.controller.support.Api.viewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RBAC we ship = RBAC we use (issue 19 item 4). Every Kubernetes request the service makes to the
 * simulated clusters during enable, connect, status, reachability, WireGuard and certificate
 * rotation, disconnect and disable is recorded, turned into the attributes kube-apiserver
 * authorises ({@link KubeRequest}), and checked against deploy/manifests/managed-cluster-rbac.yaml
 * with the API server's matching rules ({@link RbacRules}). Every permission the manifest grants
 * must have been needed by some request, or be listed once in {@link #NOT_EXERCISED} with why.
 */
@QuarkusTest
@TestProfile(ShippedRbacCoversRequestsTest.FastRotation.class)
@QuarkusTestResource(value = ShippedRbacCoversRequestsTest.Recording.class, restrictToAnnotatedClass = true)
class ShippedRbacCoversRequestsTest {
    static final Path MANAGED_CLUSTER_RBAC = Path.of("deploy/manifests/managed-cluster-rbac.yaml");
    /** Discovery: every authenticated user may read it (system:discovery), so RBAC rules are not needed for it. */
    private static final Pattern DISCOVERY =
            Pattern.compile("^/(api|apis)(/[^/?]+){0,2}/?(\\?.*)?$|^/version/?$|^/openapi/.*");

    /** Permissions the manifest grants although this run did not need them, each with its reason. */
    static final Map<String, String> NOT_EXERCISED = notExercised();

    private static Map<String, String> notExercised() {
        Map<String, String> reasons = new TreeMap<>();
        String cr = "ClusterRole clustermesh-controller: ";
        // RBAC escalation prevention: to create or update the clustermesh-apiserver ClusterRole
        // (get/list/watch on these, contract §3.3) the service must hold the same rights itself.
        for (String resource : List.of(
                "apiextensions.k8s.io customresourcedefinitions",
                "cilium.io ciliumendpoints",
                "cilium.io ciliumendpointslices",
                "cilium.io ciliumidentities",
                "core endpoints",
                "core namespaces",
                "discovery.k8s.io endpointslices")) {
            for (String verb : List.of("get", "list", "watch")) {
                reasons.put(
                        cr + verb + " " + resource,
                        "held to grant it to the clustermesh-apiserver ClusterRole (escalation prevention)");
            }
        }
        for (String kind : List.of("clusterrolebindings", "clusterroles")) {
            reasons.put(
                    cr + "update rbac.authorization.k8s.io " + kind + " named clustermesh-apiserver",
                    "enable re-run over a ClusterRole(Binding) someone changed converges it (resourceVersion-guarded update)");
        }
        String role = "Role kube-system/clustermesh-controller: ";
        reasons.put(
                role + "update core services", "enable re-run with another serviceType/nodePort converges the Service");
        reasons.put(
                role + "update core serviceaccounts",
                "enable re-run over a ServiceAccount someone changed converges it");
        reasons.put(
                role + "delete core configmaps named clustermesh-remote-users",
                "disable removes Cilium 1.19's etcd users ConfigMap; this lifecycle runs 1.18, which has none");
        reasons.put(
                role + "create core pods/exec",
                "API servers from 1.35 authorise exec over WebSocket as create (older: get)");
        return reasons;
    }

    /** Rotations as fast as the simulated agents allow, as in RotationTest. */
    public static class FastRotation implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mesh.rotation.wireguard.node-timeout",
                    "6s",
                    "mesh.rotation.wireguard.peer-timeout",
                    "20s",
                    "mesh.rotation.wireguard.poll-interval",
                    "200ms");
        }
    }

    /** homelab and cloud, each recording every request from the moment it starts, before the service does. */
    public static class Recording extends SimulatedClustersResource {
        static final Map<String, Queue<SimulatedCluster.Request>> REQUESTS = new ConcurrentHashMap<>();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            for (String name : List.of("homelab", "cloud")) {
                REQUESTS.put(name, cluster(name).recordRequests());
            }
            return config;
        }
    }

    @Test
    void everyRequestOfTheLifecycleIsAllowedAndEveryShippedPermissionIsNeeded() {
        runTheLifecycle();
        List<KubeRequest> requests = new ArrayList<>();
        Recording.REQUESTS.values().forEach(q -> q.forEach(r -> requests.add(KubeRequest.of(r.method(), r.path()))));
        assertThat(requests).as("recorded requests").hasSizeGreaterThan(50);
        List<KubeRequest> nonResource =
                requests.stream().filter(r -> !r.resourceRequest()).toList();
        assertThat(nonResource)
                .as("non-resource requests other than discovery")
                .allSatisfy(r -> assertThat(r.path()).matches(DISCOVERY));

        RbacRules shipped = RbacRules.fromManifest(MANAGED_CLUSTER_RBAC);
        List<KubeRequest> resourceRequests =
                requests.stream().filter(KubeRequest::resourceRequest).toList();
        assertThat(denied(shipped, resourceRequests))
                .as("requests the shipped rules deny")
                .isEmpty();

        Set<RbacRules.Permission> used = new LinkedHashSet<>();
        resourceRequests.forEach(r -> used.addAll(shipped.permissionsUsedBy(r)));
        Map<String, String> unused = new TreeMap<>();
        shipped.permissions().stream().filter(p -> !used.contains(p)).forEach(p -> unused.put(p.toString(), ""));
        assertThat(unused.keySet())
                .as("shipped permissions no request needed (list them in NOT_EXERCISED with a reason, or drop them)")
                .isEqualTo(NOT_EXERCISED.keySet());

        // The check can fail: without "delete" on pods, the WireGuard rotation's agent restart is refused.
        RbacRules withoutPodDelete =
                shipped.without("delete", r -> r.getResources().contains("pods"));
        assertThat(denied(withoutPodDelete, resourceRequests))
                .as("requests denied once pods lose delete")
                .anySatisfy(r -> assertThat(r).startsWith("delete core pods in kube-system named cilium-"));
        // And the list enable and disable used to make on ClusterRoles is not granted.
        assertThat(shipped.allows(KubeRequest.of("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles")))
                .isFalse();
        assertThat(shipped.allows(
                        KubeRequest.of("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/clustermesh-apiserver")))
                .isTrue();
    }

    private static List<String> denied(RbacRules rules, List<KubeRequest> requests) {
        return requests.stream()
                .filter(r -> !rules.allows(r))
                .map(KubeRequest::toString)
                .distinct()
                .toList();
    }

    private static void runTheLifecycle() {
        viewer().get("/api/v1/clusters").then().statusCode(200);
        viewer().get("/api/v1/clusters/homelab").then().statusCode(200);
        finished(operator().put("/api/v1/clusters/homelab/clustermesh").then()).body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"serviceType\":\"LoadBalancer\"}")
                        .put("/api/v1/clusters/cloud/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
        viewer().get("/api/v1/links").then().statusCode(200);
        // A NodePort cluster's overview reads its Nodes through a watch.
        viewer().get("/api/v1/clusters/homelab").then().statusCode(200);
        viewer().get("/api/v1/clusters/cloud").then().statusCode(200);
        viewer().get("/api/v1/reachability").then().statusCode(200);
        finished(operator()
                .body("{\"remote\":true}")
                .post("/api/v1/reachability/probes")
                .then());
        viewer().get("/api/v1/clusters/cloud/wireguard").then().statusCode(200);
        viewer().get("/api/v1/clusters/cloud/certificates").then().statusCode(200);
        finished(operator().post("/api/v1/clusters/cloud/wireguard/rotations").then())
                .body("state", equalTo("succeeded"));
        finished(operator()
                        .body("{\"ca\":true}")
                        .post("/api/v1/clusters/cloud/certificates/rotations")
                        .then())
                .body("state", equalTo("succeeded"));
        finished(operator().delete("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        finished(operator().delete("/api/v1/clusters/homelab/clustermesh").then())
                .body("state", equalTo("succeeded"));
        finished(operator().delete("/api/v1/clusters/cloud/clustermesh").then()).body("state", equalTo("succeeded"));
    }
}
