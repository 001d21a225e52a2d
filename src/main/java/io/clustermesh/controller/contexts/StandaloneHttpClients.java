package io.clustermesh.controller.contexts;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * Outside Quarkus, fabric8 starts a Vert.x (event loops, worker pool, buffer pools) for every
 * client it builds; the check command talks to a handful of clusters once, so they all share one
 * small Vert.x with daemon threads instead.
 */
final class StandaloneHttpClients {
    private static final String DISABLE_DNS_RESOLVER = "vertx.disableDnsResolver";
    private static HttpClient.Factory factory;

    private StandaloneHttpClients() {}

    static synchronized HttpClient.Factory factory() {
        if (factory == null) {
            factory = new VertxHttpClientFactory(vertx());
        }
        return factory;
    }

    /** The options fabric8 uses for its own instances (JDK name resolution, no file cache), with fewer threads. */
    private static Vertx vertx() {
        String previous = System.getProperty(DISABLE_DNS_RESOLVER);
        System.setProperty(DISABLE_DNS_RESOLVER, "true");
        try {
            return Vertx.vertx(new VertxOptions()
                    .setEventLoopPoolSize(2)
                    .setWorkerPoolSize(4)
                    .setInternalBlockingPoolSize(2)
                    .setUseDaemonThread(true)
                    .setFileSystemOptions(
                            new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        } finally {
            if (previous == null) {
                System.clearProperty(DISABLE_DNS_RESOLVER);
            } else {
                System.setProperty(DISABLE_DNS_RESOLVER, previous);
            }
        }
    }
}
