package io.clustermesh.controller.contexts;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One cluster's informers, started the first time a status path reads a kind, and the rules for
 * when their store may answer instead of the API server: it has listed, its watch runs, no direct
 * call to the cluster failed for want of an answer since the last one that succeeded, and it has
 * seen every write this service made through the cluster's gateway.
 * <p>
 * The last two rules matter because a watch can look alive while the network is not (a black hole
 * holds the TCP connection open), and because a status read right after a write must show it.
 */
final class ClusterWatches implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterWatches.class);
    /** A write the watch never confirms (resourceVersions not comparable) stops forcing direct reads after this. */
    static final Duration PENDING_WRITE_LIMIT = Duration.ofSeconds(60);

    /**
     * fabric8 ends every informer's watch after a random 5-10 min (as client-go does) and watches
     * again after its reconnect back-off. A store that stops watching with no failure reported and
     * watches again within this is renewing, not cut: it keeps answering and its signature does not
     * change. Without this, each renewal recomputed health at once and sent that refresh's reads of
     * the kind to the API server (bench P4: 2.0 of 3.2 requests per cluster per minute). A cut watch
     * either fails (a dead API server answers the relist with an error) and counts at once, or stays
     * silent (a black hole) and counts once this has passed.
     */
    static final Duration RENEWAL_GRACE = Duration.ofSeconds(1);

    /** fabric8 renews no watch younger than this (its minimum watch time-out): an earlier stop is a cut. */
    static final Duration RENEWAL_MIN_AGE = Duration.ofMinutes(5);

    /** A kind in one namespace ("" for cluster-scoped kinds): what one informer holds. */
    record Source(String kind, String namespace) implements Comparable<Source> {
        @Override
        public int compareTo(Source other) {
            int byKind = kind.compareTo(other.kind);
            return byKind != 0 ? byKind : namespace.compareTo(other.namespace);
        }

        static Source of(String kind, String namespace) {
            return new Source(kind, namespace == null ? "" : namespace);
        }

        String key(String name) {
            return namespace.isEmpty() ? name : Cache.namespaceKeyFunc(namespace, name);
        }
    }

    /** What a cached read needs of an informer; a seam so the freshness rules are unit-testable. */
    interface Store {
        boolean synced();

        boolean watching();

        HasMetadata get(String key);

        List<? extends HasMetadata> all();

        /** Whether listing or watching failed since the store last watched (a renewal reports no failure). */
        default boolean failed() {
            return false;
        }

        /** The resourceVersion of the last list or watch event the store took in; changes with every event. */
        String lastVersion();

        void stop();
    }

    private record Pending(String resourceVersion, boolean deleted, Instant at) {}

    /** Starts the informer of a source; {@code custom} is its custom kind, null for a built-in kind. */
    @FunctionalInterface
    interface Starter {
        Store start(Source source, CustomKind custom);
    }

    private final String clusterName;
    private final Starter starter;
    /** The custom kinds read so far, by kind name: what an informer of such a source watches. */
    private final Map<String, CustomKind> customKinds = new ConcurrentHashMap<>();

    private final Clock clock;
    private final Map<Source, Store> stores = new ConcurrentHashMap<>();
    private final Map<Source, Map<String, Pending>> pending = new ConcurrentHashMap<>();
    private volatile boolean unanswered;
    private volatile boolean closed;
    /** Since when each source's store has been watching, and since when each stopped (renewing or cut). */
    private final Map<Source, Instant> watchingSince = new ConcurrentHashMap<>();

    private final Map<Source, Instant> stoppedAt = new ConcurrentHashMap<>();

    ClusterWatches(String clusterName, Starter starter, Clock clock) {
        this.clusterName = clusterName;
        this.starter = starter;
        this.clock = clock;
    }

    /** For tests whose stores do not depend on the kind. */
    ClusterWatches(String clusterName, Function<Source, Store> starter, Clock clock) {
        this(clusterName, (source, custom) -> starter.apply(source), clock);
    }

    /** Informers over a fabric8 client: the built-in kinds {@link Fabric8ClusterGateway} reads, and any custom kind read through it. */
    static ClusterWatches over(String clusterName, Supplier<KubernetesClient> client) {
        return new ClusterWatches(
                clusterName,
                (Starter) (source, custom) -> InformerStore.start(clusterName, client.get(), source, custom),
                Clock.systemUTC());
    }

    /** {@link #fresh(Source, String)} for a cluster-scoped custom kind. */
    Optional<Store> fresh(CustomKind kind, String name) {
        customKinds.putIfAbsent(kind.kind(), kind);
        return fresh(Source.of(kind.kind(), null), name);
    }

    /**
     * The store of {@code source} when it may answer for {@code name} (null: every object of the
     * source), else empty and the caller reads directly. Starts the informer on first use.
     */
    Optional<Store> fresh(Source source, String name) {
        if (closed) {
            return Optional.empty();
        }
        Store store = stores.computeIfAbsent(source, this::start);
        if (store == null || !watchingOrRenewing(source, store) || unanswered) {
            return Optional.empty();
        }
        Map<String, Pending> writes = pending.get(source);
        if (writes != null && !writes.isEmpty()) {
            if (name != null) {
                String key = source.key(name);
                Pending p = writes.get(key);
                if (p != null && !seen(writes, store, key, p)) {
                    return Optional.empty();
                }
            } else if (writes.entrySet().stream().anyMatch(e -> !seen(writes, store, e.getKey(), e.getValue()))) {
                return Optional.empty();
            }
        }
        return Optional.of(store);
    }

    /**
     * Watching, or renewing: stopped without a failure less than {@link #RENEWAL_GRACE} ago, after
     * watching for at least {@link #RENEWAL_MIN_AGE}.
     */
    private boolean watchingOrRenewing(Source source, Store store) {
        Instant now = clock.instant();
        if (store.synced() && store.watching()) {
            // After a renewal the age counts on from the first watch; after a cut it starts again.
            stoppedAt.remove(source);
            watchingSince.putIfAbsent(source, now);
            return true;
        }
        Instant since = watchingSince.get(source);
        if (!store.synced() || store.failed() || since == null) {
            watchingSince.remove(source);
            stoppedAt.remove(source);
            return false;
        }
        Instant stopped = stoppedAt.computeIfAbsent(source, s -> now);
        boolean renewing = Duration.between(since, stopped).compareTo(RENEWAL_MIN_AGE) >= 0
                && Duration.between(stopped, now).compareTo(RENEWAL_GRACE) < 0;
        if (!renewing && Duration.between(stopped, now).compareTo(RENEWAL_GRACE) >= 0) {
            watchingSince.remove(source);
        }
        return renewing;
    }

    private Store start(Source source) {
        try {
            return starter.start(source, source.namespace().isEmpty() ? customKinds.get(source.kind()) : null);
        } catch (RuntimeException e) {
            LOG.debugf(
                    "cluster %s: cannot watch %s: %s",
                    clusterName, source, e.getClass().getSimpleName());
            return null;
        }
    }

    /** Whether the store holds the write (or something newer); forgets the write once it does. */
    private boolean seen(Map<String, Pending> writes, Store store, String key, Pending p) {
        HasMetadata cached = store.get(key);
        boolean seen = p.deleted()
                ? cached == null
                : cached != null && atLeast(cached.getMetadata().getResourceVersion(), p.resourceVersion());
        if (seen || Duration.between(p.at(), clock.instant()).compareTo(PENDING_WRITE_LIMIT) > 0) {
            writes.remove(key, p);
            return true;
        }
        return false;
    }

    /** resourceVersions are opaque, but etcd's are integers; equal always means the same write. */
    static boolean atLeast(String cached, String written) {
        if (cached == null || written == null) {
            return false;
        }
        if (cached.equals(written)) {
            return true;
        }
        try {
            return Long.parseLong(cached) >= Long.parseLong(written);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * What the informers have seen, in one string that changes with every event they took in and
     * whenever a watch stops or resumes (a cut connection, an API server that answers again). Read
     * in-process, it costs no call to the cluster: the health refresh compares it to react to a
     * change at once instead of at its next interval.
     */
    String signature() {
        StringBuilder all = new StringBuilder(closed ? "closed" : "");
        new java.util.TreeMap<>(stores)
                .forEach((source, store) -> all.append(source.kind())
                        .append('/')
                        .append(source.namespace())
                        .append(watchingOrRenewing(source, store) ? '+' : '-')
                        .append(store.lastVersion())
                        .append(';'));
        return all.toString();
    }

    /** The gateway wrote {@code object} (as the API server returned it): reads wait until the watch saw it. */
    void written(HasMetadata object) {
        if (object == null || object.getMetadata() == null) {
            return;
        }
        record(
                Source.of(object.getKind(), object.getMetadata().getNamespace()),
                object.getMetadata().getName(),
                new Pending(object.getMetadata().getResourceVersion(), false, clock.instant()));
    }

    void deleted(String kind, String namespace, String name) {
        record(Source.of(kind, namespace), name, new Pending(null, true, clock.instant()));
    }

    private void record(Source source, String name, Pending p) {
        if (source.kind() == null || !stores.containsKey(source)) {
            return; // nothing cached for that kind: a later informer lists what is there now
        }
        pending.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).put(source.key(name), p);
    }

    /** A direct call got no answer (time-out, connection failure, 503): trust no cache until one does. */
    void unanswered() {
        unanswered = true;
    }

    void answered() {
        unanswered = false;
    }

    @Override
    public void close() {
        closed = true;
        stores.values().forEach(store -> {
            try {
                store.stop();
            } catch (RuntimeException e) {
                LOG.debugf(
                        "cluster %s: stopping an informer failed: %s",
                        clusterName, e.getClass().getSimpleName());
            }
        });
        stores.clear();
        pending.clear();
    }

    /** A fabric8 informer as a {@link Store}. */
    private static final class InformerStore implements Store {
        private final SharedIndexInformer<? extends HasMetadata> informer;
        private volatile boolean failed;

        private InformerStore(SharedIndexInformer<? extends HasMetadata> informer) {
            this.informer = informer;
        }

        static Store start(String clusterName, KubernetesClient client, Source source, CustomKind custom) {
            SharedIndexInformer<? extends HasMetadata> informer = custom != null
                    ? client.genericKubernetesResources(custom.context()).runnableInformer(0)
                    : builtIn(client, source);
            InformerStore store = new InformerStore(informer);
            // Keep listing and watching with fabric8's back-off: a cluster that comes back is watched again.
            informer.exceptionHandler((started, error) -> {
                store.failed = true;
                LOG.debugf(
                        "cluster %s: watch of %s failed (%s); retrying",
                        clusterName, source, error.getClass().getSimpleName());
                return true;
            });
            informer.start();
            return store;
        }

        private static SharedIndexInformer<? extends HasMetadata> builtIn(KubernetesClient client, Source source) {
            return switch (source.kind()) {
                case "ConfigMap" ->
                    client.configMaps().inNamespace(source.namespace()).runnableInformer(0);
                case "Secret" ->
                    client.secrets().inNamespace(source.namespace()).runnableInformer(0);
                case "Service" ->
                    client.services().inNamespace(source.namespace()).runnableInformer(0);
                case "Deployment" ->
                    client.apps().deployments().inNamespace(source.namespace()).runnableInformer(0);
                case "DaemonSet" ->
                    client.apps().daemonSets().inNamespace(source.namespace()).runnableInformer(0);
                case "Pod" -> client.pods().inNamespace(source.namespace()).runnableInformer(0);
                case "Node" -> client.nodes().runnableInformer(0);
                default -> throw new IllegalArgumentException("no informer for " + source.kind());
            };
        }

        @Override
        public boolean synced() {
            return informer.hasSynced();
        }

        @Override
        public boolean watching() {
            boolean watching = informer.isWatching();
            if (watching) {
                failed = false;
            }
            return watching;
        }

        @Override
        public boolean failed() {
            return failed;
        }

        @Override
        public HasMetadata get(String key) {
            return informer.getStore().getByKey(key);
        }

        @Override
        public List<? extends HasMetadata> all() {
            return informer.getStore().list();
        }

        @Override
        public String lastVersion() {
            return informer.lastSyncResourceVersion();
        }

        @Override
        public void stop() {
            informer.stop();
        }
    }
}
