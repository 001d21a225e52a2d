package io.clustermesh.controller.contexts;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Holds one cluster per kubeconfig context, from the {@code KUBECONFIG}-style path list and the
 * kubeconfig directory. Sources are re-read on an interval; only clusters whose effective
 * kubeconfig changed get a new client, so a broken file never disturbs the others.
 */
@ApplicationScoped
public class ClusterRegistry {
    private static final Logger LOG = Logger.getLogger(ClusterRegistry.class);
    /** In-flight calls on a replaced client get this long to finish before it is closed. */
    private static final long RETIRED_CLIENT_GRACE_SECONDS = 30;

    private static final long RACY_WINDOW_MILLIS = 3_000;

    private final MeshConfig config;
    private final List<Path> extraDirectories = new CopyOnWriteArrayList<>();
    private final List<Consumer<Collection<ManagedCluster>>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, LazyClusterGateway> clients = new HashMap<>();
    private volatile Map<String, ManagedCluster> clusters = Map.of();
    private volatile List<SourceError> errors = List.of();
    private ScheduledExecutorService rescanner;
    /** Only the long-running service watches clusters; the one-shot check reads directly. */
    private volatile boolean watching;
    /** Null inside Quarkus: fabric8's Quarkus factory already puts every client on the application's Vert.x. */
    private HttpClient.Factory httpClients;
    /** The sources as last read in full, and when that read started: see {@link #sourcesUnchanged()}. */
    private volatile List<SourceStamp> readStamps = List.of();

    private volatile long readStartedMillis;
    private final Object serializationLock = new Object();
    private KubernetesSerialization serialization;

    public ClusterRegistry(MeshConfig config) {
        this.config = config;
    }

    /** A registry outside Quarkus (the check command): its clients share one small Vert.x. */
    public static ClusterRegistry standalone(MeshConfig config) {
        ClusterRegistry registry = new ClusterRegistry(config);
        registry.httpClients = StandaloneHttpClients.factory();
        return registry;
    }

    void start(@Observes @Priority(100) StartupEvent event) {
        watching = true;
        rescan();
        rescanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeconfig-rescan");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, config.kubeconfigRescanInterval().toMillis());
        rescanner.scheduleWithFixedDelay(this::rescanQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (rescanner != null) {
            rescanner.shutdownNow();
        }
        synchronized (this) {
            clusters.values().forEach(ManagedCluster::stopWatching);
            clients.values().forEach(LazyClusterGateway::close);
            clients.clear();
        }
    }

    /** Adds a directory of kubeconfig files (the demo's simulated clusters register theirs here). */
    public void addKubeconfigDirectory(Path directory) {
        extraDirectories.add(directory);
        rescan();
    }

    public void onChange(Consumer<Collection<ManagedCluster>> listener) {
        listeners.add(listener);
    }

    public Collection<ManagedCluster> clusters() {
        return clusters.values();
    }

    public List<SourceError> errors() {
        return errors;
    }

    public Optional<ManagedCluster> find(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public ManagedCluster require(String name) {
        return find(name)
                .orElseThrow(() -> new ProblemException(
                        ProblemType.UNKNOWN_CLUSTER,
                        "no cluster named '" + name + "'; known: " + String.join(", ", clusters.keySet()),
                        "cluster"));
    }

    private void rescanQuietly() {
        try {
            rescanIfChanged();
        } catch (RuntimeException e) {
            LOG.warnf("kubeconfig rescan failed: %s", e.getClass().getSimpleName());
        }
    }

    /** Re-reads the sources when any of them changed since the last read; true when it did. */
    boolean rescanIfChanged() {
        if (sourcesUnchanged()) {
            return false;
        }
        rescan();
        return true;
    }

    /** Re-reads every source now. Cheap when nothing changed. */
    public synchronized void rescan() {
        long started = System.currentTimeMillis();
        List<SourceError> readErrors = new ArrayList<>();
        List<Path> paths = sourcePaths(readErrors);
        List<SourceStamp> stamps = stamps(paths);
        List<KubeconfigFile> files = readFiles(paths, readErrors);
        var merged = KubeconfigMerger.merge(files, readErrors);
        var resolved = ClusterDefinitions.resolve(merged, config.clusters());

        Map<String, ManagedCluster> next = new LinkedHashMap<>();
        Map<String, ManagedCluster> previous = clusters;
        boolean changed = !previous.keySet().equals(resolved.clusters().keySet());
        for (ClusterDefinition definition : resolved.clusters().values()) {
            ManagedCluster existing = previous.get(definition.name());
            if (existing != null && existing.fingerprint().equals(definition.fingerprint())) {
                next.put(definition.name(), existing);
                continue;
            }
            changed = true;
            if (existing != null) {
                existing.stopWatching();
            }
            try {
                next.put(definition.name(), connect(definition));
                LOG.infof(
                        "cluster %s: %s context %s at %s",
                        definition.name(),
                        existing == null ? "added" : "reloaded",
                        definition.contextName(),
                        definition.server());
            } catch (RuntimeException e) {
                resolved.errors()
                        .add(new SourceError(
                                definition.sourceFile().toString(),
                                definition.contextName(),
                                "cannot build a client for this context ("
                                        + e.getClass().getSimpleName() + ")"));
            }
        }
        for (String gone : previous.keySet()) {
            if (!next.containsKey(gone)) {
                LOG.infof("cluster %s: removed (its kubeconfig context is gone)", gone);
                previous.get(gone).stopWatching();
                retire(gone);
            }
        }
        clusters = Map.copyOf(next);
        if (!resolved.errors().equals(errors)) {
            resolved.errors()
                    .forEach(e -> LOG.warnf("kubeconfig %s context %s: %s", e.source(), e.context(), e.message()));
        }
        errors = List.copyOf(resolved.errors());
        readStamps = stamps;
        readStartedMillis = started;
        if (changed) {
            Collection<ManagedCluster> snapshot = next.values();
            listeners.forEach(l -> l.accept(snapshot));
        }
    }

    /**
     * A file's size, modification time and identity, or a directory's: with many kubeconfigs,
     * parsing every file on every rescan costs more CPU than everything else the idle service does.
     */
    private record SourceStamp(Path path, long size, long modifiedMillis, Object fileKey) {
        static SourceStamp of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return new SourceStamp(path, a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
            } catch (IOException e) {
                return new SourceStamp(path, -1, -1, null);
            }
        }
    }

    private List<SourceStamp> stamps(List<Path> files) {
        List<SourceStamp> stamps = new ArrayList<>();
        sourceDirectories().forEach(d -> stamps.add(SourceStamp.of(d)));
        files.forEach(f -> stamps.add(SourceStamp.of(f)));
        return stamps;
    }

    /**
     * True when every source looks as it did at the last full read. A file modified shortly
     * before that read could have changed again within the file system's timestamp granularity
     * with the same size, so it is read again until it has been still for a while (git's
     * "racily clean" rule).
     */
    private boolean sourcesUnchanged() {
        List<SourceStamp> now = stamps(sourcePaths(new ArrayList<>()));
        long settledBefore = readStartedMillis - RACY_WINDOW_MILLIS;
        return now.equals(readStamps) && now.stream().allMatch(s -> s.modifiedMillis() < settledBefore);
    }

    private List<Path> sourceDirectories() {
        List<Path> directories = new ArrayList<>();
        config.kubeconfigDir().map(Path::of).ifPresent(directories::add);
        directories.addAll(extraDirectories);
        return directories;
    }

    private List<Path> sourcePaths(List<SourceError> errors) {
        List<Path> paths = new ArrayList<>();
        config.kubeconfigPaths()
                .ifPresent(list -> Stream.of(list.split(":"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of)
                        .forEach(paths::add));
        for (Path directory : sourceDirectories()) {
            if (!Files.isDirectory(directory)) {
                errors.add(new SourceError(directory.toString(), null, "kubeconfig directory does not exist"));
                continue;
            }
            try (Stream<Path> entries = Files.list(directory)) {
                entries.filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .forEach(paths::add);
            } catch (IOException e) {
                errors.add(new SourceError(
                        directory.toString(),
                        null,
                        "cannot list directory (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return paths;
    }

    private static List<KubeconfigFile> readFiles(List<Path> paths, List<SourceError> errors) {
        List<KubeconfigFile> files = new ArrayList<>();
        for (Path path : paths) {
            try {
                files.add(KubeconfigFile.read(path));
            } catch (IOException e) {
                errors.add(new SourceError(
                        path.toString(),
                        null,
                        "cannot read file (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return files;
    }

    private ManagedCluster connect(ClusterDefinition definition) {
        Config clientConfig = Config.fromKubeconfig(
                definition.contextName(),
                definition.singleContextKubeconfig(),
                definition.sourceFile().toString());
        clientConfig.setConnectionTimeout((int) config.client().connectTimeout().toMillis());
        clientConfig.setRequestTimeout((int) config.client().requestTimeout().toMillis());
        // fabric8 retries failed requests with back-off by default; that would blow every
        // per-cluster deadline on a dead cluster, so we fail fast and let the caller decide.
        clientConfig.setRequestRetryBackoffLimit(0);
        // Informers watch again this soon after fabric8 renews a watch (every 5-10 min), well within
        // ClusterWatches.RENEWAL_GRACE; the back-off still doubles while a cluster does not answer.
        clientConfig.setWatchReconnectInterval(250);
        // The gateway tells the watches about its own writes (read-your-writes), and the watches'
        // informers run on the gateway's client, built on first use: hence the late binding.
        ClusterWatches[] watchesOfGateway = new ClusterWatches[1];
        LazyClusterGateway gateway = new LazyClusterGateway(
                definition.name(),
                () -> buildClient(clientConfig),
                client -> new Fabric8ClusterGateway(definition.name(), client, watchesOfGateway[0]));
        ClusterWatches watches = watching ? ClusterWatches.over(definition.name(), gateway::client) : null;
        watchesOfGateway[0] = watches;
        LazyClusterGateway old = clients.put(definition.name(), gateway);
        if (old != null) {
            closeLater(old);
        }
        return new ManagedCluster(
                definition,
                gateway,
                watches,
                Optional.ofNullable(config.clusters().get(definition.name())));
    }

    /**
     * One serialization (one Jackson ObjectMapper and its per-type caches) for every client: each
     * client would otherwise build and keep its own copy of the same Kubernetes model metadata,
     * megabytes of heap per cluster.
     */
    private KubernetesSerialization serialization() {
        synchronized (serializationLock) {
            if (serialization == null) {
                serialization = new KubernetesSerialization();
            }
            return serialization;
        }
    }

    private KubernetesClient buildClient(Config clientConfig) {
        KubernetesClientBuilder builder =
                new KubernetesClientBuilder().withConfig(clientConfig).withKubernetesSerialization(serialization());
        if (httpClients != null) {
            builder.withHttpClientFactory(httpClients);
        }
        return builder.build();
    }

    private void retire(String name) {
        LazyClusterGateway old = clients.remove(name);
        if (old != null) {
            closeLater(old);
        }
    }

    private void closeLater(LazyClusterGateway gateway) {
        if (rescanner == null) {
            gateway.close();
            return;
        }
        rescanner.schedule(gateway::close, RETIRED_CLIENT_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
