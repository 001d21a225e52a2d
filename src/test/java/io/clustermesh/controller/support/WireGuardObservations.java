package io.clustermesh.controller.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a test sees of WireGuard in a (simulated) cluster, read straight from its API server: the
 * keys the CiliumNodes publish, the peers each agent lists, the rotation ConfigMap, and a watcher
 * that counts how many nodes were without a Ready agent at once.
 */
public final class WireGuardObservations {
    public static final String ROTATION_CONFIG_MAP = io.clustermesh.controller.wireguard.RotationState.CONFIG_MAP;
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext CILIUM_NODES = new ResourceDefinitionContext.Builder()
            .withGroup("cilium.io")
            .withVersion("v2")
            .withKind("CiliumNode")
            .withPlural("ciliumnodes")
            .withNamespaced(false)
            .build();

    private WireGuardObservations() {}

    /** Node → the public key its CiliumNode announces, by node name. */
    public static Map<String, String> publishedKeys(KubernetesClient client) {
        Map<String, String> keys = new TreeMap<>();
        client.genericKubernetesResources(CILIUM_NODES)
                .list()
                .getItems()
                .forEach(cn -> keys.put(
                        cn.getMetadata().getName(),
                        cn.getMetadata().getAnnotations().get(CiliumNames.WG_PUBKEY_ANNOTATION)));
        return keys;
    }

    /**
     * The nodes a rotation's steps (a dry run's {@code plan[].step}, an operation's {@code steps[].name}) rotate,
     * in order: each node's rotation ends by recording its new key.
     */
    public static List<String> rotatedNodes(List<String> steps) {
        String marker = ": record the new key of ";
        return steps.stream()
                .filter(s -> s.contains(marker))
                .map(s -> s.substring(s.indexOf(marker) + marker.length()))
                .toList();
    }

    /** The states of the steps before, at and after the step whose name contains {@code failedAt}. */
    public static List<String> statesAround(List<String> names, List<String> states, String failedAt) {
        int at = -1;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).contains(failedAt)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new AssertionError("no step " + failedAt + " in " + names);
        }
        List<String> around = new ArrayList<>();
        around.add(states.subList(0, at).stream().distinct().toList().toString());
        around.add(states.get(at));
        around.add(states.subList(at + 1, states.size()).stream()
                .distinct()
                .toList()
                .toString());
        return around;
    }

    /** A usable WireGuard public key: 32 bytes of canonical base64, not all zeroes. */
    public static boolean valid(String key) {
        try {
            byte[] raw = Base64.getDecoder().decode(key);
            return raw.length == 32
                    && Base64.getEncoder().encodeToString(raw).equals(key)
                    && !java.util.Arrays.equals(raw, new byte[32]);
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static List<Pod> agents(KubernetesClient client) {
        return client
                .pods()
                .inNamespace(NS)
                .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing(p -> p.getSpec().getNodeName()))
                .toList();
    }

    /** The peer keys {@code agent} lists ({@code cilium-dbg debuginfo}, as the service reads it). */
    public static List<String> peerKeys(KubernetesClient client, Pod agent) {
        // Observing is not what is tested: an exec whose WebSocket did not open (seen once on a
        // loaded machine: "not ready after 10000 MILLISECONDS") is tried again; what the command
        // answers is never retried.
        for (int attempt = 1; ; attempt++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecWatch watch;
            try {
                watch = client.pods()
                        .inNamespace(NS)
                        .withName(agent.getMetadata().getName())
                        .inContainer(CiliumNames.AGENT_CONTAINER)
                        .writingOutput(out)
                        .exec(AgentCommands.DEBUGINFO.toArray(String[]::new));
            } catch (KubernetesClientException e) {
                if (attempt < 3) {
                    continue;
                }
                throw new AssertionError("debuginfo in " + agent.getMetadata().getName() + " could not start", e);
            }
            try (watch) {
                Integer exit = watch.exitCode().get(10, TimeUnit.SECONDS);
                if (exit == null || exit != 0) {
                    throw new AssertionError(
                            "debuginfo in " + agent.getMetadata().getName() + " exited " + exit);
                }
            } catch (Exception e) {
                throw new AssertionError("debuginfo in " + agent.getMetadata().getName() + " failed", e);
            }
            return AgentStatusParser.parseDebugInfoWireguard(out.toString()).interfaces().get(0).peers().stream()
                    .map(WireguardPeer::publicKey)
                    .toList();
        }
    }

    /** The rotation ConfigMap's {@code wireguard.json}, or null when there is none. */
    public static JsonNode rotationState(KubernetesClient client) {
        ConfigMap cm = client.configMaps()
                .inNamespace(NS)
                .withName(ROTATION_CONFIG_MAP)
                .get();
        if (cm == null || cm.getData() == null || cm.getData().get("wireguard.json") == null) {
            return null;
        }
        try {
            return JSON.readTree(cm.getData().get("wireguard.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node the rotation state says is being rotated now, or null. */
    public static String nodeInProgress(KubernetesClient client) {
        JsonNode state = rotationState(client);
        JsonNode current = state == null ? null : state.path("inProgress").get("current");
        return current == null || current.isNull() ? null : current.asText();
    }

    /**
     * Polls a cluster's agent pods until closed and remembers the worst moment: the most nodes
     * without a Ready agent at once (a node whose pod is deleted, missing or not Ready is down).
     * A failed read is no observation.
     */
    public static final class Availability implements AutoCloseable {
        private final KubernetesClient client;
        private final List<String> nodes;
        private final Thread poller;
        private volatile boolean running = true;
        private int observations;
        private List<String> worst = List.of();

        private Availability(KubernetesClient client) {
            this.client = client;
            this.nodes = client.nodes().list().getItems().stream()
                    .map(n -> n.getMetadata().getName())
                    .sorted()
                    .toList();
            this.poller = new Thread(this::poll, "agent-availability");
            this.poller.setDaemon(true);
            this.poller.start();
        }

        public static Availability watch(KubernetesClient client) {
            return new Availability(client);
        }

        private void poll() {
            while (running) {
                try {
                    List<String> down = new ArrayList<>(nodes);
                    for (Pod pod : agents(client)) {
                        boolean ready = pod.getMetadata().getDeletionTimestamp() == null
                                && pod.getStatus() != null
                                && pod.getStatus().getConditions() != null
                                && pod.getStatus().getConditions().stream()
                                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                        if (ready) {
                            down.remove(pod.getSpec().getNodeName());
                        }
                    }
                    record(down);
                } catch (RuntimeException e) {
                    // the API server did not answer this time: nothing observed
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void record(List<String> down) {
            observations++;
            if (down.size() > worst.size()) {
                worst = List.copyOf(down);
            }
        }

        public synchronized int observations() {
            return observations;
        }

        /** The most nodes seen down at once (by name). */
        public synchronized List<String> worst() {
            return worst;
        }

        public List<String> nodes() {
            return nodes;
        }

        @Override
        public void close() {
            running = false;
            poller.interrupt();
            try {
                poller.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
