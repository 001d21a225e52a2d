package io.clustermesh.controller.support;

/** Kubeconfig text for tests: one context of one cluster, with a token that grants nothing. */
public final class Kubeconfigs {
    private Kubeconfigs() {}

    /** A registry over the kubeconfig files in {@code dir}, with the client timeouts given, scanned once. */
    public static io.clustermesh.controller.contexts.ClusterRegistry registry(
            java.nio.file.Path dir, java.time.Duration connectTimeout, java.time.Duration requestTimeout) {
        io.clustermesh.controller.config.MeshConfig.Client timeouts = ConfigProxy.of(
                io.clustermesh.controller.config.MeshConfig.Client.class,
                java.util.Map.of("connectTimeout", connectTimeout, "requestTimeout", requestTimeout));
        var registry = new io.clustermesh.controller.contexts.ClusterRegistry(ConfigProxy.of(
                io.clustermesh.controller.config.MeshConfig.class,
                java.util.Map.of(
                        "kubeconfigDir", java.util.Optional.of(dir.toString()),
                        "kubeconfigPaths", java.util.Optional.empty(),
                        "clusters", java.util.Map.of(),
                        "client", timeouts)));
        registry.rescan();
        return registry;
    }

    public static String of(String context, String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: c
                    user: u
                current-context: %1$s
                users:
                - name: u
                  user:
                    token: not-a-real-token
                """.formatted(context, server);
    }
}
