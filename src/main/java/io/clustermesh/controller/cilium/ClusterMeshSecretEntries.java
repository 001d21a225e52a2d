package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the Cilium chart renders into {@code cilium-clustermesh} / {@code cilium-kvstoremesh}
 * (contract §5.1, §5.2), as Secret key → plain (not base64) value. A cluster we connect must look
 * exactly like a chart-connected one, so that a later {@code helm upgrade} or cilium-cli sees no
 * difference (§0.1).
 */
public final class ClusterMeshSecretEntries {
    static final String ETCD_CLIENT_CA = ".etcd-client-ca.crt";
    static final String ETCD_CLIENT_CRT = ".etcd-client.crt";
    static final String ETCD_CLIENT_KEY = ".etcd-client.key";
    /** §5.1: projected from the local {@code clustermesh-apiserver-remote-cert}. */
    static final String COMMON_PREFIX = "common";
    /** §5.1: projected from the local {@code clustermesh-apiserver-local-cert} (KVStoreMesh on). */
    static final String LOCAL_PREFIX = "local";

    private static final String LOCAL_APISERVER_HOST = CiliumNames.APISERVER + ".%s.svc";

    private ClusterMeshSecretEntries() {}

    /**
     * §5.2 A: the entries for one remote reached directly — used for {@code cilium-clustermesh} when
     * KVStoreMesh is off, and for {@code cilium-kvstoremesh} when it is on (same layout).
     *
     * @param tls null when both clusters share one CA: the local remote-cert ({@code common-*}) is presented
     */
    public static Map<String, String> directEntries(RemoteEndpoint remote, RemoteClientTls tls) {
        Map<String, String> entries = new LinkedHashMap<>();
        String name = remote.name();
        if (tls == null) {
            entries.put(
                    name,
                    etcdClientYaml(
                            remote.url(),
                            COMMON_PREFIX + "-etcd-client-ca.crt",
                            COMMON_PREFIX + "-etcd-client.key",
                            COMMON_PREFIX + "-etcd-client.crt"));
            return entries;
        }
        entries.put(
                name,
                etcdClientYaml(remote.url(), name + ETCD_CLIENT_CA, name + ETCD_CLIENT_KEY, name + ETCD_CLIENT_CRT));
        entries.put(name + ETCD_CLIENT_CA, tls.caCertPem());
        entries.put(name + ETCD_CLIENT_CRT, tls.certPem());
        entries.put(name + ETCD_CLIENT_KEY, tls.keyPem());
        return entries;
    }

    /**
     * §5.2 B: the agents' {@code cilium-clustermesh} entry when KVStoreMesh is on — every remote points
     * at the local clustermesh-apiserver cache. 1.17+ charts use the {@code local-*} files, 1.16 the
     * {@code common-*} ones.
     */
    public static Map<String, String> kvstoreMeshAgentEntries(
            String remoteName, String namespace, CiliumVersion version) {
        ClusterIdentityRules.validateName(remoteName);
        String prefix = version.atLeast(CiliumVersion.V1_17) ? LOCAL_PREFIX : COMMON_PREFIX;
        String url = "https://" + LOCAL_APISERVER_HOST.formatted(namespace) + ":" + CiliumNames.ETCD_PORT;
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(
                remoteName,
                etcdClientYaml(
                        url, prefix + "-etcd-client-ca.crt", prefix + "-etcd-client.key", prefix + "-etcd-client.crt"));
        return entries;
    }

    /**
     * The client certificate and CA files the agents use for the local KVStoreMesh cache, and the
     * Secret the DaemonSet projects them from (local-cert from 1.17, remote-cert before; §5.1).
     */
    public record AgentCacheClientFiles(String secret, String certificatePath, String caPath) {}

    public static AgentCacheClientFiles agentCacheClientFiles(CiliumVersion version) {
        boolean local = version.atLeast(CiliumVersion.V1_17);
        String prefix = CiliumNames.CLUSTERMESH_CONFIG_DIR + (local ? LOCAL_PREFIX : COMMON_PREFIX);
        return new AgentCacheClientFiles(
                local ? CiliumNames.LOCAL_CERT_SECRET : CiliumNames.REMOTE_CERT_SECRET,
                prefix + "-etcd-client.crt",
                prefix + "-etcd-client-ca.crt");
    }

    /** The keys one remote owns in a Secret, so a disconnect removes exactly those (§5.5). */
    public static List<String> entryKeysFor(String remoteName, boolean sharedCa) {
        if (sharedCa) {
            return List.of(remoteName);
        }
        return List.of(
                remoteName, remoteName + ETCD_CLIENT_CA, remoteName + ETCD_CLIENT_CRT, remoteName + ETCD_CLIENT_KEY);
    }

    /** Whether a Secret's entries reach {@code remoteName} with a client certificate of its own CA (own-CA layout). */
    public static boolean hasOwnCaEntries(Map<String, String> plainSecretData, String remoteName) {
        return plainSecretData.containsKey(remoteName + ETCD_CLIENT_CRT);
    }

    /** Every key a remote may own whatever the CA layout: what classic disconnect removes (§5.5). */
    public static List<String> allKeysPossiblyOwnedBy(String remoteName) {
        return entryKeysFor(remoteName, false);
    }

    /** §5.1 agent rule: a file whose content contains {@code endpoints:} is a remote cluster named after the key. */
    public static boolean isRemoteClusterEntry(String key, String value) {
        return key != null && value != null && value.contains(CiliumNames.ETCD_ENDPOINTS_MARKER);
    }

    /**
     * §7.1 step 5: the remotes a Secret makes the agents (or KVStoreMesh) expect: entries that
     * contain {@code endpoints:}, except one named like the local cluster. Sorted by name.
     */
    public static List<String> expectedRemotes(Map<String, String> plainSecretData, String localClusterName) {
        TreeSet<String> names = new TreeSet<>();
        if (plainSecretData != null) {
            plainSecretData.forEach((k, v) -> {
                if (isRemoteClusterEntry(k, v) && !k.equals(localClusterName)) {
                    names.add(k);
                }
            });
        }
        return List.copyOf(names);
    }

    /**
     * §5.2 A/B: one hostAlias per IP making {@code <name>.mesh.cilium.io} resolve; goes on the agent
     * DaemonSet (KVStoreMesh off; rolls every agent) or on the clustermesh-apiserver Deployment (on).
     */
    public static List<HostAlias> hostAliasesFor(RemoteEndpoint remote) {
        return remote.hostAliasIps().stream()
                .map(ip -> new HostAliasBuilder()
                        .withIp(ip)
                        .withHostnames(RemoteEndpoint.meshHostname(remote.name()))
                        .build())
                .toList();
    }

    /** Whether a hostAlias was written for this remote, so stale ones can be removed on disconnect (§5.5). */
    public static boolean isHostAliasFor(HostAlias alias, String remoteName) {
        return alias.getHostnames() != null && alias.getHostnames().contains(RemoteEndpoint.meshHostname(remoteName));
    }

    /**
     * The etcd client YAML (§5.1), in the chart's line order, byte for byte (no final newline). The file paths are where the projected
     * volume mounts them in both the agent and the kvstoremesh container.
     */
    static String etcdClientYaml(String url, String caFile, String keyFile, String certFile) {
        String dir = CiliumNames.CLUSTERMESH_CONFIG_DIR;
        return "endpoints:\n"
                + "- " + url + "\n"
                + "trusted-ca-file: " + dir + caFile + "\n"
                + "key-file: " + dir + keyFile + "\n"
                + "cert-file: " + dir + certFile;
    }
}
