package io.clustermesh.controller.support;

/** Kubeconfig text for tests: one context of one cluster, with a token that grants nothing. */
public final class Kubeconfigs {
    private Kubeconfigs() {}

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
