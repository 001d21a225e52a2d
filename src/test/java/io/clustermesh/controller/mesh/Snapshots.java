package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumOwner;
import io.clustermesh.controller.cilium.ClusterSnapshot;
import io.clustermesh.controller.cilium.HelmOwnership;
import io.clustermesh.controller.cilium.MeshLabels;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Snapshots built in memory for the planner table tests: no cluster, no server. {@link #after}
 * is what a cluster holds once a plan ran: every write stored (with a new resourceVersion), every
 * delete gone, and the apiserver's rollout complete.
 */
final class Snapshots {
    static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private Snapshots() {}

    /** Cilium installed (agents of {@code version}), nothing of ClusterMesh yet; one node at 192.168.{id}.10. */
    static ClusterSnapshot fresh(String name, int id, String version) {
        return withOwner(name, id, version, CiliumOwner.UNOWNED);
    }

    static ClusterSnapshot fresh(String name, int id) {
        return fresh(name, id, "1.18.11");
    }

    static ClusterSnapshot withOwner(String name, int id, String version, CiliumOwner owner) {
        CiliumConfig config = CiliumConfig.fromData(
                Map.of(CiliumNames.KEY_CLUSTER_NAME, name, CiliumNames.KEY_CLUSTER_ID, String.valueOf(id)));
        return new ClusterSnapshot(
                name,
                ClusterSnapshot.Settings.DIRECT,
                config,
                HelmOwnership.NOT_MANAGED,
                CiliumNames.AGENT_IMAGE_REPO + ":v" + version,
                owner,
                Optional.empty(),
                Map.of(),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(node(name + "-node", "192.168." + id + ".10")),
                Map.of(),
                List.of());
    }

    /** The same cluster with {@code object} present as read (say, someone else's). */
    static ClusterSnapshot with(ClusterSnapshot s, HasMetadata object) {
        return store(s, List.of(object), List.of());
    }

    /** What {@code s} holds after the steps of {@code plan} that act on it ran. */
    static ClusterSnapshot after(ClusterSnapshot s, Plan plan) {
        List<HasMetadata> written = new ArrayList<>();
        List<Step.Delete> deleted = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (!s.name().equals(step.cluster())) {
                continue;
            }
            if (step instanceof Step.Write w) {
                HasMetadata stored = Serialization.clone(w.desired());
                String version = stored.getMetadata().getResourceVersion();
                stored.getMetadata()
                        .setResourceVersion(version == null ? "1" : String.valueOf(Long.parseLong(version) + 1));
                if (stored instanceof Deployment d) {
                    d.setStatus(new DeploymentStatusBuilder()
                            .withReplicas(1)
                            .withUpdatedReplicas(1)
                            .withReadyReplicas(1)
                            .withAvailableReplicas(1)
                            .build());
                }
                written.add(stored);
            } else if (step instanceof Step.Delete d) {
                deleted.add(d);
            }
        }
        return store(s, written, deleted);
    }

    private static ClusterSnapshot store(ClusterSnapshot s, List<HasMetadata> written, List<Step.Delete> deleted) {
        Optional<Deployment> apiserver = s.apiserver();
        Map<String, Service> services = new LinkedHashMap<>(s.services());
        Map<String, Secret> secrets = new LinkedHashMap<>(s.secrets());
        Optional<ConfigMap> users = s.remoteUsers();
        Optional<ServiceAccount> account = s.serviceAccount();
        Optional<ClusterRole> role = s.clusterRole();
        Optional<ClusterRoleBinding> binding = s.clusterRoleBinding();
        for (HasMetadata o : written) {
            String name = o.getMetadata().getName();
            if (o instanceof Deployment d && name.equals(CiliumNames.APISERVER)) {
                apiserver = Optional.of(d);
            } else if (o instanceof Service svc) {
                services.put(name, svc);
            } else if (o instanceof Secret secret) {
                secrets.put(name, secret);
            } else if (o instanceof ConfigMap cm && name.equals(ApiServerObjects.REMOTE_USERS_CONFIG_MAP)) {
                users = Optional.of(cm);
            } else if (o instanceof ServiceAccount sa) {
                account = Optional.of(sa);
            } else if (o instanceof ClusterRole r) {
                role = Optional.of(r);
            } else if (o instanceof ClusterRoleBinding b) {
                binding = Optional.of(b);
            } else {
                throw new AssertionError("a planner wrote what no snapshot holds: " + o.getKind() + " " + name);
            }
        }
        for (Step.Delete d : deleted) {
            switch (d.kind()) {
                case "Deployment" -> apiserver = Optional.empty();
                case "Service" -> services.remove(d.name());
                case "Secret" -> secrets.remove(d.name());
                case "ConfigMap" -> users = Optional.empty();
                case "ServiceAccount" -> account = Optional.empty();
                case "ClusterRole" -> role = Optional.empty();
                case "ClusterRoleBinding" -> binding = Optional.empty();
                default -> throw new AssertionError("a planner deleted what no snapshot holds: " + d);
            }
        }
        // What disable lists: our labelled namespaced objects, kind by kind as the snapshot reads them.
        List<HasMetadata> owned = Stream.of(
                        apiserver.stream(), services.values().stream(), account.stream(), secrets.values().stream())
                .flatMap(x -> x)
                .map(HasMetadata.class::cast)
                .filter(o -> MeshLabels.isOurs(o.getMetadata()))
                .toList();
        return new ClusterSnapshot(
                s.name(),
                s.settings(),
                s.config(),
                s.ciliumHelm(),
                s.agentImage(),
                s.owner(),
                apiserver,
                services,
                secrets,
                users,
                account,
                role,
                binding,
                s.nodes(),
                s.hostnameAddresses(),
                owned);
    }

    static Node node(String name, String ip) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(ip)
                .endAddress()
                .endStatus()
                .build();
    }

    /** The names the steps will have in the operation's progress, in order. */
    static List<String> stepNames(Plan plan) {
        return plan.steps().stream().map(Step::stepName).toList();
    }

    static EnablePlanner enablePlanner() {
        return new EnablePlanner(NS, CLOCK, READY_TIMEOUT);
    }

    static ClusterSnapshot enabled(String name, int id) {
        return enabled(fresh(name, id));
    }

    /** {@code s} after a NodePort enable with its own CA. */
    static ClusterSnapshot enabled(ClusterSnapshot s) {
        Plan plan = enablePlanner()
                .plan(
                        s,
                        EnablePlanner.validate(new EnableRequest(null, null, "own")),
                        Optional.empty(),
                        List.of(),
                        List.of());
        return after(s, plan);
    }
}
