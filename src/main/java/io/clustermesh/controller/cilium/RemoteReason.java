package io.clustermesh.controller.cilium;

/**
 * Why a remote cluster is (not) ready as seen by one agent or KVStoreMesh, in the order cilium-cli
 * checks them (contract §7.1 step 7): the first matching reason wins. Declaration order is that
 * order, which {@link RemoteReadiness} also uses to break ties.
 */
public enum RemoteReason {
    READY,
    /** {@code connected} absent/false; the text is Cilium's own {@code status} message. */
    NOT_CONNECTED,
    /** No {@code config} object: "configuration retrieval status unknown". */
    CONFIG_UNKNOWN,
    /** {@code config.required && !config.retrieved}: usually a cluster-name mismatch. */
    CONFIG_NOT_RETRIEVED,
    /** No {@code synced} object. */
    SYNC_UNKNOWN,
    /** Some of nodes/endpoints/identities/services not synchronised yet. */
    SYNC_IN_PROGRESS,
    /** Everything above is fine but Cilium still says not ready. */
    NOT_READY,
    /** Expected (the Secret has an entry) but the agent does not list it. */
    UNKNOWN;

    /**
     * Classifies one agent's view of one remote.
     *
     * @param expectedName the remote's entry name (the Secret key)
     * @param remote       the agent's entry for it, or null when the agent does not list it
     */
    public static RemoteVerdict classify(String expectedName, RemoteCluster remote) {
        if (remote == null) {
            return new RemoteVerdict(
                    expectedName,
                    UNKNOWN,
                    "unknown status",
                    "the agent does not list this cluster yet: wait for the Secret to propagate (up to ~2 minutes),"
                            + " and check that the entry '" + expectedName
                            + "' in cilium-clustermesh contains 'endpoints:'");
        }
        String name = remote.name() == null ? expectedName : remote.name();
        if (remote.ready()) {
            return new RemoteVerdict(name, READY, "ready", null);
        }
        if (!remote.connected()) {
            String status = remote.status() == null || remote.status().isBlank() ? "not connected" : remote.status();
            return new RemoteVerdict(
                    name,
                    NOT_CONNECTED,
                    status,
                    "check that this cluster's nodes can reach " + name
                            + "'s clustermesh-apiserver endpoint (host alias or"
                            + " address, port, firewall/NAT; GET /api/v1/reachability probes it), and that " + name
                            + "'s server"
                            + " certificate is signed by the CA in the entry and valid for the endpoint's host name");
        }
        if (remote.config() == null) {
            return new RemoteVerdict(
                    name,
                    CONFIG_UNKNOWN,
                    "configuration retrieval status unknown",
                    "connected but the remote's cluster configuration was not reported yet; check the remote"
                            + " clustermesh-apiserver is running and wait a moment");
        }
        if (remote.config().required() && !remote.config().retrieved()) {
            return new RemoteVerdict(
                    name,
                    CONFIG_NOT_RETRIEVED,
                    "configuration required but not found",
                    "the Secret entry name '" + name
                            + "' must equal the remote's cilium-config cluster-name; the remote"
                            + " cert may only read cilium/cluster-config/<its own name>");
        }
        if (remote.synced() == null) {
            return new RemoteVerdict(
                    name,
                    SYNC_UNKNOWN,
                    "synchronization status unknown",
                    "connected but no synchronization state was reported yet; wait a moment");
        }
        if (!remote.synced().pending().isEmpty()) {
            return new RemoteVerdict(
                    name,
                    SYNC_IN_PROGRESS,
                    "synchronization in progress for "
                            + String.join(", ", remote.synced().pending()),
                    "initial synchronization of the remote's state is still running; large clusters take longer");
        }
        return new RemoteVerdict(
                name,
                NOT_READY,
                "not ready",
                "Cilium reports the remote as not ready without a specific cause; check the agent logs");
    }

    /**
     * One agent's verdict on one remote.
     *
     * @param text Cilium's or cilium-cli's wording, shown as the reason
     * @param hint what to do about it, null when ready
     */
    public record RemoteVerdict(String remote, RemoteReason reason, String text, String hint) {
        public boolean isReady() {
            return reason == READY;
        }
    }
}
