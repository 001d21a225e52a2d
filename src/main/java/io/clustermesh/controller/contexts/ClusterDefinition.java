package io.clustermesh.controller.contexts;

import java.nio.file.Path;

/**
 * What the service knows about one cluster from its kubeconfig: the name it shows, the context
 * behind it and a self-contained single-context kubeconfig for its client. That kubeconfig holds
 * credentials, so this record's {@code toString} leaves it out. {@code simulatedNetwork}: for a
 * simulated cluster, the URL of the simulator's network endpoint its kubeconfig names (or null).
 */
record ClusterDefinition(
        String name,
        String contextName,
        String server,
        boolean simulated,
        String simulatedNetwork,
        String reachabilityMode,
        String reachabilityEndpoint,
        String singleContextKubeconfig,
        Path sourceFile,
        String fingerprint) {

    @Override
    public String toString() {
        return "ClusterDefinition[name=" + name + ", context=" + contextName + ", server=" + server + "]";
    }
}
