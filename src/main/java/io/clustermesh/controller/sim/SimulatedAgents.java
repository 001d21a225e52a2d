package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.ClusterMeshMetrics;
import io.clustermesh.controller.cilium.ClusterMeshMetricsRenderer;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.pki.Pem;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated Cilium agents of one cluster. With KVStoreMesh on (contract §5.2 B) an agent's
 * remote is ready when the local clustermesh-apiserver is ready and its kvstoremesh can really
 * reach the remote: the entry exists, its endpoint is one the simulated network lets through,
 * the remote serves that cluster name, and the CAs verify both ways. They publish the agent's
 * ClusterMesh metrics (§8), so the service's real status path reads them.
 */
final class SimulatedAgents {
    private static final Pattern ENDPOINT = Pattern.compile("endpoints:\\s*\\n\\s*-\\s*(\\S+)");
    private static final Pattern CA_FILE = Pattern.compile("trusted-ca-file:\\s*(\\S+)");
    private static final Pattern CERT_FILE = Pattern.compile("cert-file:\\s*(\\S+)");

    /** Why a remote is not ready, or null when it is. */
    record Verdict(String remote, String problem) {
    }

    private SimulatedAgents() {
    }

    static String metrics(SimulatedCluster local, String nodeName) {
        Map<String, ClusterMeshMetrics.RemoteClusterMetrics> remotes = new LinkedHashMap<>();
        for (Verdict verdict : verdicts(local)) {
            boolean ready = verdict.problem() == null;
            remotes.put(verdict.remote(), ClusterMeshMetrics.RemoteClusterMetrics.of(verdict.remote(), ready, ready ? 0 : 1,
                    ready ? null : local.startedAt(), ready ? (long) nodesOf(verdict.remote()) : 0L));
        }
        var metrics = new ClusterMeshMetrics(ClusterMeshMetrics.Source.AGENT, local.name(), nodeName, (long) remotes.size(), 0L, remotes);
        return ClusterMeshMetricsRenderer.render(metrics);
    }

    static List<Verdict> verdicts(SimulatedCluster local) {
        SimulatedClusterView view = local.view();
        List<String> expected = ClusterMeshSecretEntries.expectedRemotes(view.clustermesh(), view.clusterName());
        return expected.stream().map(remote -> new Verdict(remote, problemReaching(local, view, remote))).toList();
    }

    private static String problemReaching(SimulatedCluster local, SimulatedClusterView view, String remote) {
        if (!view.apiserverReady()) {
            return "local clustermesh-apiserver not ready";
        }
        String entry = view.kvstoremesh().get(remote);
        if (entry == null) {
            return "no cilium-kvstoremesh entry";
        }
        Matcher endpoint = ENDPOINT.matcher(entry);
        if (!endpoint.find()) {
            return "entry has no endpoint";
        }
        URI url = URI.create(endpoint.group(1));
        List<String> hosts = view.hostAliases().getOrDefault(url.getHost(), List.of(url.getHost()));
        SimulatedCluster target = hosts.stream().map(h -> SimulatedNetwork.dial(h, url.getPort()))
                .flatMap(java.util.Optional::stream).findFirst().orElse(null);
        if (target == null) {
            return "timeout dialling " + url.getHost() + ":" + url.getPort();
        }
        SimulatedClusterView remoteView = target.view();
        if (!remote.equals(remoteView.clusterName())) {
            return "endpoint serves cluster " + remoteView.clusterName();
        }
        String trusted = fileContent(view, CA_FILE, entry, remote);
        String presented = fileContent(view, CERT_FILE, entry, remote);
        if (!verifies(remoteView.serverCert().get("tls.crt"), trusted)) {
            return "x509: certificate signed by unknown authority (server)";
        }
        if (!verifies(presented, remoteView.serverCert().get("ca.crt"))) {
            return "remote rejected our client certificate";
        }
        return null;
    }

    /** Resolves a file path of the etcd client YAML to the projected content (§5.1). */
    private static String fileContent(SimulatedClusterView view, Pattern key, String entry, String remote) {
        Matcher m = key.matcher(entry);
        if (!m.find()) {
            return null;
        }
        String file = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
        return switch (file) {
            case "common-etcd-client-ca.crt" -> view.remoteCert().get("ca.crt");
            case "common-etcd-client.crt" -> view.remoteCert().get("tls.crt");
            default -> view.kvstoremesh().get(file);
        };
    }

    /**
     * Verdicts of {@link #verifies}, a pure function of its two PEM texts. Every metrics scrape asks
     * it for every remote; parsing and verifying each time made the simulator's CPU, not the
     * simulated network latency, dominate the fan-out benchmark (bench/, P1).
     */
    private static final Map<String, Boolean> VERIFIED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERIFIED_LIMIT = 10_000;

    private static boolean verifies(String certificatePem, String caBundlePem) {
        if (certificatePem == null || caBundlePem == null) {
            return false;
        }
        String key = certificatePem + '\0' + caBundlePem;
        Boolean known = VERIFIED.get(key);
        if (known != null) {
            return known;
        }
        if (VERIFIED.size() > VERIFIED_LIMIT) {
            VERIFIED.clear();
        }
        boolean verdict = verifiesNow(certificatePem, caBundlePem);
        VERIFIED.put(key, verdict);
        return verdict;
    }

    private static boolean verifiesNow(String certificatePem, String caBundlePem) {
        try {
            X509Certificate cert = Pem.parseCertificate(certificatePem);
            for (X509Certificate ca : Pem.parseCertificates(caBundlePem)) {
                try {
                    cert.verify(ca.getPublicKey());
                    return true;
                } catch (Exception e) {
                    // try the next CA of the bundle
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int nodesOf(String remote) {
        return SimulatedNetwork.cluster(remote).map(c -> c.spec().nodes().size()).orElse(0);
    }

    static Instant lastFailure(SimulatedCluster cluster) {
        return cluster.startedAt();
    }
}
