package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.mesh.ApiServerReadiness;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/** What a rotation phase waits for before the next one may start. The planner decides what; these read when run. */
final class RotationAwaits {
    static final String APISERVER_ROLLED_OUT = "wait for the clustermesh-apiserver rollout";
    static final String AGENTS_READ = "wait for the agents to read the new certificates";
    /** Followed by the members' names, in a cluster holding their entries (own-CA layout). */
    static final String HOLDERS_READ = "wait for the agents to read the new entries for ";

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration AGENT_INTERVAL = Duration.ofSeconds(1);
    private static final String RESUME = "every link still verifies with the trust written so far; re-run the rotation";

    private final String namespace;
    private final Duration readyTimeout;
    private final Duration mountedSecretTimeout;

    RotationAwaits(String namespace, Duration readyTimeout, Duration mountedSecretTimeout) {
        this.namespace = namespace;
        this.readyTimeout = readyTimeout;
        this.mountedSecretTimeout = mountedSecretTimeout;
    }

    /** The restarted clustermesh-apiserver runs the new template, so its etcd serves and trusts what was written. */
    Step.Await apiServerRolledOut(String cluster) {
        return Step.Await.until(
                cluster,
                APISERVER_ROLLED_OUT,
                gateways -> gateways.apply(cluster)
                        .deployment(namespace, CiliumNames.APISERVER)
                        .map(d -> ApiServerReadiness.isReady(d)
                                ? (Step.Check) new Step.Check.Met("ready")
                                : new Step.Check.Waiting(ApiServerReadiness.describe(d)))
                        .orElse(new Step.Check.Failed("the clustermesh-apiserver Deployment is gone")),
                readyTimeout,
                ProblemType.ROTATION_STOPPED,
                "check its pod events; " + RESUME,
                "the restarted clustermesh-apiserver is ready");
    }

    /**
     * The agents read their client certificate and trust for the local cache from a Secret volume,
     * which the kubelet refreshes on its own schedule: the next phase must not start before every
     * agent holds what this phase wrote. {@code asWritten} gives a Secret as the plan leaves it.
     * Nothing to wait for without agents or without that Secret.
     */
    Optional<Step.Await> agentsRead(RotationSnapshot.Member member, BiFunction<String, Secret, Secret> asWritten) {
        if (member.agentVersion().isEmpty()) {
            return Optional.empty();
        }
        var files = ClusterMeshSecretEntries.agentCacheClientFiles(
                member.agentVersion().get());
        Optional<Secret> read = member.leaves().stream()
                .filter(s -> files.secret().equals(s.getMetadata().getName()))
                .findFirst();
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = asWritten.apply(member.cluster(), read.get());
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(files.certificatePath(), plain(secret, CiliumNames.TLS_CRT));
        wanted.put(files.caPath(), plain(secret, CiliumNames.CA_CRT));
        return Optional.of(filesRead(
                member.cluster(),
                AGENTS_READ,
                wanted,
                files.secret(),
                "each agent's " + files.certificatePath() + " and " + files.caPath() + " are the new ones"));
    }

    /**
     * A cluster holding a member's direct entries (own-CA layout, KVStoreMesh off) trusts the
     * member's etcd with {@code <member>.etcd-client-ca.crt} and presents {@code <member>.etcd-client.crt}
     * from its {@code cilium-clustermesh} Secret, which its agents read from a mounted volume as
     * well: a phase that drops the old CA while a holder's agent still trusts or presents only the
     * old one would break that link. One await per holder cluster, for the entries of every member
     * whose files this phase changed there ({@code before} and {@code asWritten} give a Secret as
     * the plan leaves it before and after the phase's writes). The key file is not compared: the
     * kubelet swaps a volume's files all at once, so a new certificate comes with its key, and a
     * private key need not leave the node.
     */
    List<Step.Await> holdersRead(
            List<RotationSnapshot.Member> members,
            BiFunction<String, Secret, Secret> before,
            BiFunction<String, Secret, Secret> asWritten) {
        Map<String, Map<String, String>> wantedByHolder = new LinkedHashMap<>();
        Map<String, Set<String>> membersByHolder = new LinkedHashMap<>();
        for (RotationSnapshot.Member member : members) {
            List<String> keys = ClusterMeshSecretEntries.entryKeysFor(member.ciliumName(), false);
            for (RotationSnapshot.Holder holder : member.holders()) {
                for (Secret read : holder.secrets()) {
                    if (!CiliumNames.CLUSTERMESH_SECRET.equals(
                            read.getMetadata().getName())) {
                        continue;
                    }
                    Secret was = before.apply(holder.cluster(), read);
                    Secret next = asWritten.apply(holder.cluster(), read);
                    for (String key : List.of(keys.get(1), keys.get(2))) {
                        String value = ApiServerObjects.decode(next, key);
                        if (value != null && !value.equals(ApiServerObjects.decode(was, key))) {
                            wantedByHolder
                                    .computeIfAbsent(holder.cluster(), h -> new LinkedHashMap<>())
                                    .put(CiliumNames.CLUSTERMESH_CONFIG_DIR + key, value);
                            membersByHolder
                                    .computeIfAbsent(holder.cluster(), h -> new LinkedHashSet<>())
                                    .add(member.ciliumName());
                        }
                    }
                }
            }
        }
        List<Step.Await> awaits = new ArrayList<>();
        wantedByHolder.forEach((holder, wanted) -> {
            String names = String.join(", ", membersByHolder.get(holder));
            awaits.add(filesRead(
                    holder,
                    HOLDERS_READ + names,
                    wanted,
                    "entries for " + names,
                    "each agent's " + String.join(" and ", wanted.keySet()) + " are the new ones"));
        });
        return awaits;
    }

    /** Every agent of {@code cluster} reads {@code wanted} (path → content) from its mounted Secrets. */
    private Step.Await filesRead(
            String cluster, String what, Map<String, String> wanted, String readFrom, String summary) {
        return new Step.Await(
                cluster,
                what,
                gateways -> {
                    List<String> lagging = lagging(gateways.apply(cluster), wanted);
                    return lagging.isEmpty()
                            ? new Step.Check.Met("every agent reads the new " + readFrom)
                            : new Step.Check.Waiting("still the previous " + readFrom + " on " + lagging);
                },
                mountedSecretTimeout,
                AGENT_INTERVAL,
                ProblemType.ROTATION_STOPPED,
                "the kubelet refreshes mounted Secrets on its periodic sync; check the kubelet on those nodes; "
                        + RESUME,
                summary);
    }

    private List<String> lagging(ClusterGateway gw, Map<String, String> wanted) {
        List<String> lagging = new ArrayList<>();
        for (Pod agent : gw.pods(namespace, Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE))) {
            String where = agent.getSpec() != null && agent.getSpec().getNodeName() != null
                    ? agent.getSpec().getNodeName()
                    : agent.getMetadata().getName();
            for (var file : wanted.entrySet()) {
                String seen;
                try {
                    seen = gw.exec(
                            namespace,
                            agent.getMetadata().getName(),
                            CiliumNames.AGENT_CONTAINER,
                            EXEC_TIMEOUT,
                            AgentCommands.readFile(file.getKey()).toArray(String[]::new));
                } catch (RuntimeException e) {
                    // An exec that could not open (WebSocket handshake, agent restarting) is looked at again.
                    seen = null;
                }
                if (seen == null || !seen.strip().equals(file.getValue().strip())) {
                    lagging.add(where + " (" + file.getKey() + ")");
                    break;
                }
            }
        }
        return lagging;
    }

    private static String plain(Secret secret, String key) {
        String value = ApiServerObjects.decode(secret, key);
        return value == null ? "" : value;
    }
}
