package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The WireGuard side of a simulated cluster's agents, as the contract (§10) describes the real one:
 * the key file lives on the node (here: in this object, never in the API server); the agent reads
 * it only at start, generating a key when the file is missing; it publishes the public half on its
 * CiliumNode. The DaemonSet recreates a deleted agent pod after a restart delay. Peers learn a new
 * key after a delay: local agents from the CiliumNode, remote ones later through ClusterMesh.
 */
final class SimulatedWireGuard {
    static final Duration RESTART_DELAY = Duration.ofMillis(1500);
    static final Duration LOCAL_PEER_DELAY = Duration.ofMillis(800);
    static final Duration REMOTE_PEER_DELAY = Duration.ofMillis(1600);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key an agent loaded at its last start, and the one peers knew before it. */
    record LoadedKey(String publicKey, String previousPublicKey, Instant publishedAt) {
        /** What a peer configured {@code delay} after publication sees. */
        String seenAfter(Duration delay, Instant now) {
            return now.isBefore(publishedAt.plus(delay)) ? previousPublicKey : publicKey;
        }
    }

    private final SimulatedCluster cluster;
    /** The key files "on the nodes": node → raw private key. */
    private final Map<String, byte[]> keyFiles = new ConcurrentHashMap<>();

    private final Map<String, LoadedKey> loaded = new ConcurrentHashMap<>();
    private final Map<String, Instant> agentGoneSince = new ConcurrentHashMap<>();
    private final Map<String, String> copyKeyFileFrom = new ConcurrentHashMap<>();
    private final Set<String> failKeyFileRemoval = ConcurrentHashMap.newKeySet();

    SimulatedWireGuard(SimulatedCluster cluster) {
        this.cluster = cluster;
    }

    /** First start of a node's agent: a fresh key file. Returns the public key to publish. */
    String firstStart(String node) {
        byte[] privateKey = new X25519PrivateKeyParameters(RANDOM).getEncoded();
        keyFiles.put(node, privateKey);
        String publicKey = publicKeyOf(privateKey);
        loaded.put(node, new LoadedKey(publicKey, null, Instant.EPOCH));
        return publicKey;
    }

    /**
     * A cloned disk image: the next time {@code node}'s agent generates a key file it ends up with
     * {@code source}'s, so two nodes announce the same key (what the rotation must refuse).
     */
    void copyKeyFileOnNextGeneration(String node, String source) {
        copyKeyFileFrom.put(node, source);
    }

    /** A read-only or full node disk: the next removal of {@code node}'s key file fails (exit 1), the file stays. */
    void failKeyFileRemovalOnce(String node) {
        failKeyFileRemoval.add(node);
    }

    /**
     * The node the {@code agent-crash} and {@code agent-restart-stuck} faults keep down: the second one, so a
     * rolling rotation gets going first.
     */
    String crashingNode() {
        var nodes = cluster.spec().nodes();
        return nodes.get(Math.min(1, nodes.size() - 1)).name();
    }

    /** {@code rm [-f] <key file>} in {@code node}'s agent: the file goes, the loaded key stays until the agent restarts (§10). */
    SimulatedExec.Result removeKeyFile(String node, boolean force) {
        String cannot = "rm: cannot remove '" + CiliumNames.WG_KEY_FILE + "': ";
        if (failKeyFileRemoval.remove(node)) {
            return SimulatedExec.Result.failed(1, cannot + "Read-only file system\n");
        }
        if (keyFiles.remove(node) == null && !force) {
            return SimulatedExec.Result.failed(1, cannot + "No such file or directory\n");
        }
        return SimulatedExec.Result.ok("");
    }

    /** {@code encryption.wireguard} of the agent on {@code node}, peers filled as debuginfo does. */
    WireguardStatus status(String node, Instant now) {
        List<WireguardPeer> peers = new ArrayList<>();
        addPeers(peers, this, node, LOCAL_PEER_DELAY, now);
        var self = cluster.spec().nodes().stream()
                .filter(n -> n.name().equals(node))
                .findFirst()
                .orElse(null);
        for (SimulatedAgents.Verdict verdict : SimulatedAgents.verdicts(cluster)) {
            if (verdict.problem() == null) {
                SimulatedNetwork.cluster(verdict.remote())
                        .ifPresent(remote -> addPeers(
                                peers,
                                remote.wireGuard(),
                                null,
                                REMOTE_PEER_DELAY,
                                now,
                                n -> self != null
                                        && SimulatedNetwork.path(cluster, self, remote, n)
                                                .endpoint()));
            }
        }
        LoadedKey own = loaded.get(node);
        var wg0 = new WireguardInterface(
                "cilium_wg0", CiliumNames.WG_PORT, own == null ? null : own.publicKey(), peers.size(), peers);
        return new WireguardStatus(List.of(wg0), "Disabled");
    }

    private static void addPeers(
            List<WireguardPeer> peers, SimulatedWireGuard of, String except, Duration delay, Instant now) {
        addPeers(peers, of, except, delay, now, n -> true);
    }

    /**
     * Peers as the kernel reports them. Cilium sets each peer's endpoint to its node IP:51871
     * (contract dataplane.md §1.2); a peer with no path never completes a handshake: zero time,
     * nothing received, only initiations sent (§3.3).
     */
    private static void addPeers(
            List<WireguardPeer> peers,
            SimulatedWireGuard of,
            String except,
            Duration delay,
            Instant now,
            java.util.function.Predicate<SimulatedClusterSpec.SimulatedNode> reachable) {
        for (var node : of.cluster.spec().nodes()) {
            LoadedKey key = of.loaded.get(node.name());
            String seen = key == null || node.name().equals(except) ? null : key.seenAfter(delay, now);
            if (seen != null) {
                String endpoint = node.internalIp() + ":" + CiliumNames.WG_PORT;
                peers.add(
                        reachable.test(node)
                                ? new WireguardPeer(
                                        seen,
                                        endpoint,
                                        now.minusSeconds(7),
                                        List.of(node.internalIp() + "/32"),
                                        4096,
                                        4096)
                                : new WireguardPeer(seen, endpoint, null, List.of(node.internalIp() + "/32"), 0, 444));
            }
        }
    }

    /** A node is waiting for its agent pod to come back. */
    boolean restartPending() {
        return !agentGoneSince.isEmpty();
    }

    /**
     * The DaemonSet controller and agent start: a node without an agent pod gets one back after
     * the restart delay (unless {@code agent-crash} holds it down); the starting agent loads its
     * key file or generates one, and republishes the CiliumNode annotation.
     */
    void reconcile(KubernetesClient client) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        try {
            Set<String> withAgent = new HashSet<>();
            for (Pod pod : client.pods()
                    .inNamespace(ns)
                    .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                    .list()
                    .getItems()) {
                withAgent.add(pod.getSpec().getNodeName());
            }
            Instant now = Instant.now();
            for (var node : cluster.spec().nodes()) {
                if (withAgent.contains(node.name())) {
                    agentGoneSince.remove(node.name());
                    continue;
                }
                Instant gone = agentGoneSince.computeIfAbsent(node.name(), n -> now);
                boolean crashed = (cluster.faults().contains(SimulatedFault.AGENT_CRASH)
                                || cluster.faults().contains(SimulatedFault.AGENT_RESTART_STUCK))
                        && node.name().equals(crashingNode());
                if (crashed || now.isBefore(gone.plus(RESTART_DELAY))) {
                    continue;
                }
                String publicKey = startAgent(node.name(), now);
                client.genericKubernetesResources(CiliumInstallSeed.CILIUM_NODES)
                        .withName(node.name())
                        .edit(cn -> {
                            cn.getMetadata().getAnnotations().put(CiliumNames.WG_PUBKEY_ANNOTATION, publicKey);
                            return cn;
                        });
                client.pods()
                        .inNamespace(ns)
                        .resource(CiliumInstallSeed.agentPod(cluster.spec(), node, ns))
                        .create();
                agentGoneSince.remove(node.name());
            }
        } catch (KubernetesClientException e) {
            // The next round tries again.
        }
    }

    /**
     * What kubelet shows of a crash-looping agent container, or of one running again: the pod
     * keeps its name and uid, its Ready condition and container status follow the container.
     */
    void crashLoop(KubernetesClient client, boolean crashing) {
        String ns = CiliumNames.DEFAULT_NAMESPACE;
        String node = crashingNode();
        try {
            for (Pod pod : client.pods()
                    .inNamespace(ns)
                    .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                    .list()
                    .getItems()) {
                if (node.equals(pod.getSpec().getNodeName())) {
                    client.pods()
                            .inNamespace(ns)
                            .withName(pod.getMetadata().getName())
                            .edit(p -> withContainerState(p, crashing));
                }
            }
        } catch (KubernetesClientException e) {
            // A pod that went meanwhile needs no status.
        }
    }

    private static Pod withContainerState(Pod pod, boolean crashing) {
        String ready = crashing ? "False" : "True";
        String now = Instant.now().toString();
        pod.getStatus()
                .getConditions()
                .removeIf(c -> "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()));
        pod.getStatus()
                .getConditions()
                .add(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(ready)
                        .withReason(crashing ? "ContainersNotReady" : null)
                        .withLastTransitionTime(now)
                        .build());
        pod.getStatus()
                .getConditions()
                .add(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                        .withType("ContainersReady")
                        .withStatus(ready)
                        .withReason(crashing ? "ContainersNotReady" : null)
                        .withLastTransitionTime(now)
                        .build());
        for (var status : pod.getStatus().getContainerStatuses()) {
            if (!CiliumNames.AGENT_CONTAINER.equals(status.getName())) {
                continue;
            }
            status.setReady(!crashing);
            if (crashing) {
                status.setRestartCount((status.getRestartCount() == null ? 0 : status.getRestartCount()) + 1);
                status.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 10s restarting failed container=" + CiliumNames.AGENT_CONTAINER)
                        .endWaiting()
                        .build());
                status.setLastState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withReason("Error")
                        .withFinishedAt(now)
                        .endTerminated()
                        .build());
            } else {
                status.setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt(now)
                        .endRunning()
                        .build());
            }
        }
        return pod;
    }

    /** Whether {@code node}'s agent container is crash-looping now (no exec, no metrics). */
    boolean crashLooping(String node) {
        return cluster.faults().contains(SimulatedFault.AGENT_CRASH) && node.equals(crashingNode());
    }

    private String startAgent(String node, Instant now) {
        byte[] keyFile = keyFiles.get(node);
        if (keyFile == null) {
            String source = copyKeyFileFrom.remove(node);
            keyFile = source != null && keyFiles.containsKey(source)
                    ? keyFiles.get(source).clone()
                    : new X25519PrivateKeyParameters(RANDOM).getEncoded();
            keyFiles.put(node, keyFile);
        }
        String publicKey = publicKeyOf(keyFile);
        LoadedKey before = loaded.get(node);
        if (before == null || !before.publicKey().equals(publicKey)) {
            loaded.put(node, new LoadedKey(publicKey, before == null ? null : before.publicKey(), now));
        }
        return publicKey;
    }

    private static String publicKeyOf(byte[] privateKey) {
        return Base64.getEncoder()
                .encodeToString(new X25519PrivateKeyParameters(privateKey, 0)
                        .generatePublicKey()
                        .getEncoded());
    }
}
