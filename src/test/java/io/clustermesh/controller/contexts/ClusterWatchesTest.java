package io.clustermesh.controller.contexts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a watched read may answer from the informer store and when it must go to the API server. */
class ClusterWatchesTest {
    private static final String NS = "kube-system";

    /** An informer stand-in: synced/watching switches and a map of objects. */
    static final class FakeStore implements ClusterWatches.Store {
        boolean synced = true;
        boolean watching = true;
        boolean failed;
        boolean stopped;
        final Map<String, HasMetadata> objects = new HashMap<>();

        void put(HasMetadata object) {
            objects.put(
                    object.getMetadata().getNamespace() + "/"
                            + object.getMetadata().getName(),
                    object);
        }

        @Override
        public boolean synced() {
            return synced;
        }

        @Override
        public boolean watching() {
            return watching;
        }

        @Override
        public boolean failed() {
            return failed;
        }

        @Override
        public HasMetadata get(String key) {
            return objects.get(key);
        }

        @Override
        public List<? extends HasMetadata> all() {
            return new ArrayList<>(objects.values());
        }

        @Override
        public String lastVersion() {
            return objects.values().stream()
                    .map(o -> o.getMetadata().getResourceVersion())
                    .max(String::compareTo)
                    .orElse("");
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-25T20:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final FakeStore store = new FakeStore();
    private final AtomicInteger started = new AtomicInteger();
    private final ManualClock clock = new ManualClock();
    private final ClusterWatches watches = new ClusterWatches(
            "test",
            source -> {
                started.incrementAndGet();
                return store;
            },
            clock);
    private final ClusterWatches.Source configMaps = ClusterWatches.Source.of("ConfigMap", NS);

    private static ConfigMap configMap(String name, String resourceVersion, String value) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(name)
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .addToData("k", value)
                .build();
    }

    @Test
    void aSyncedWatchingInformerAnswersAndIsStartedOnlyOnce() {
        store.put(configMap("cilium-config", "5", "cached"));
        assertThat(watches.fresh(configMaps, "cilium-config")).containsSame(store);
        assertThat(watches.fresh(configMaps, "cilium-config")).containsSame(store);
        assertThat(started).hasValue(1);
    }

    @Test
    void notYetListedOrNotWatchingMeansADirectRead() {
        store.synced = false;
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        store.synced = true;
        store.watching = false;
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        store.watching = true;
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void aWatchBeingRenewedKeepsAnsweringAndChangesNoSignatureWithinTheGrace() {
        store.put(configMap("cilium-config", "5", "cached"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        clock.now = clock.now.plus(ClusterWatches.RENEWAL_MIN_AGE);
        String watching = watches.signature();
        store.watching = false; // fabric8 closed the watch to renew it, no failure
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        assertThat(watches.signature()).isEqualTo(watching);
        clock.now = clock.now.plus(ClusterWatches.RENEWAL_GRACE);
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        assertThat(watches.signature()).isNotEqualTo(watching);
        store.watching = true;
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        assertThat(watches.signature()).isEqualTo(watching);
        // Watched again after that cut: its next stop is a renewal only once it is old enough again.
        store.watching = false;
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        store.watching = true;
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        clock.now = clock.now.plus(ClusterWatches.RENEWAL_MIN_AGE);
        store.watching = false;
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void aWatchYoungerThanFabric8sRenewalAgeThatStopsIsCutNotRenewing() {
        store.put(configMap("cilium-config", "5", "cached"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        String watching = watches.signature();
        store.watching = false; // a black hole cut it a minute after it started: no failure reported yet
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        assertThat(watches.signature()).isNotEqualTo(watching);
    }

    @Test
    void aWatchThatStoppedWithAFailureIsNotTrustedAtAll() {
        store.put(configMap("cilium-config", "5", "cached"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        String watching = watches.signature();
        store.watching = false;
        store.failed = true; // the relist after the cut got an error: a dead API server
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        assertThat(watches.signature()).isNotEqualTo(watching);
    }

    @Test
    void aDirectCallWithoutAnswerDistrustsTheCacheUntilOneAnswers() {
        watches.fresh(configMaps, null);
        watches.unanswered();
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        assertThat(watches.fresh(configMaps, null)).isEmpty();
        watches.answered();
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void aWriteIsReadDirectlyUntilTheWatchHasSeenIt() {
        store.put(configMap("cilium-config", "5", "old"));
        watches.fresh(configMaps, null);
        watches.written(configMap("cilium-config", "7", "new"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        assertThat(watches.fresh(configMaps, null)).as("lists of that kind too").isEmpty();
        assertThat(watches.fresh(configMaps, "other"))
                .as("other objects of the kind")
                .isPresent();

        store.put(configMap("cilium-config", "7", "new"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
        assertThat(watches.fresh(configMaps, null)).isPresent();
    }

    @Test
    void aNewerVersionInTheStoreAlsoCountsAsSeen() {
        watches.fresh(configMaps, null);
        watches.written(configMap("cilium-config", "7", "ours"));
        store.put(configMap("cilium-config", "9", "someone else's, later"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void aDeleteIsReadDirectlyUntilTheObjectLeftTheStore() {
        store.put(configMap("rotation", "3", "x"));
        watches.fresh(configMaps, null);
        watches.deleted("ConfigMap", NS, "rotation");
        assertThat(watches.fresh(configMaps, "rotation")).isEmpty();
        store.objects.clear();
        assertThat(watches.fresh(configMaps, "rotation")).isPresent();
    }

    @Test
    void aWriteTheWatchNeverConfirmsStopsForcingDirectReadsAfterTheLimit() {
        watches.fresh(configMaps, null);
        watches.written(configMap("cilium-config", "abc", "opaque version"));
        store.put(configMap("cilium-config", "xyz", "not comparable"));
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
        clock.now = clock.now.plus(ClusterWatches.PENDING_WRITE_LIMIT).plus(Duration.ofSeconds(1));
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void writesOfKindsNobodyWatchesCostNothing() {
        watches.written(configMap("cilium-config", "7", "new"));
        assertThat(started).hasValue(0);
        assertThat(watches.fresh(configMaps, "cilium-config")).isPresent();
    }

    @Test
    void closedWatchesAnswerNothingAndStopTheirInformers() {
        watches.fresh(configMaps, null);
        watches.close();
        assertThat(store.stopped).isTrue();
        assertThat(watches.fresh(configMaps, "cilium-config")).isEmpty();
    }

    @Test
    void anInformerThatCannotStartMeansDirectReads() {
        ClusterWatches failing = new ClusterWatches(
                "test",
                source -> {
                    throw new IllegalStateException("no such kind");
                },
                clock);
        assertThat(failing.fresh(configMaps, "cilium-config")).isEmpty();
    }

    @Test
    void resourceVersionsCompareAsIntegersWhenTheyAre() {
        assertThat(ClusterWatches.atLeast("10", "9")).isTrue();
        assertThat(ClusterWatches.atLeast("9", "10")).isFalse();
        assertThat(ClusterWatches.atLeast("a", "a")).isTrue();
        assertThat(ClusterWatches.atLeast("a", "b")).isFalse();
        assertThat(ClusterWatches.atLeast(null, "1")).isFalse();
    }

    @Test
    void theWatchedGatewayFiltersCachedListsByLabelsAndFallsBackOtherwise() {
        ClusterGateway direct = new DirectOnly();
        store.put(new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("a")
                .addToLabels("app", "x")
                .withResourceVersion("1")
                .endMetadata()
                .build());
        WatchedGateway gateway = new WatchedGateway(direct, watches);
        assertThat(gateway.configMap(NS, "a"))
                .map(c -> c.getMetadata().getName())
                .contains("a");
        assertThat(gateway.configMap(NS, "missing")).isEmpty();
        store.watching = false;
        store.failed = true;
        assertThat(gateway.configMap(NS, "a"))
                .map(c -> c.getMetadata().getName())
                .contains("direct");
        assertThat(WatchedGateway.matches(store.objects.get(NS + "/a"), Map.of("app", "x")))
                .isTrue();
        assertThat(WatchedGateway.matches(store.objects.get(NS + "/a"), Map.of("app", "y")))
                .isFalse();
    }

    /** Answers every ConfigMap read with one named "direct"; nothing else is called. */
    private static final class DirectOnly implements ClusterGateway {
        @Override
        public <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return Optional.of(ClusterWatchesTest.configMap("direct", "1", "direct"));
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.Secret> secret(String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.Service> service(String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.apps.Deployment> deployment(String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.apps.DaemonSet> daemonSet(String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.Node> nodes() {
            throw new AssertionError();
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.Pod> pods(String namespace, Map<String, String> labels) {
            throw new AssertionError();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.Pod> pod(String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> customResources(CustomKind kind) {
            throw new AssertionError();
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource> customResource(
                CustomKind kind, String name) {
            throw new AssertionError();
        }

        @Override
        public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace, Map<String, String> labels) {
            throw new AssertionError();
        }

        @Override
        public <T extends HasMetadata> T apply(T desired) {
            throw new AssertionError();
        }

        @Override
        public <T extends HasMetadata> boolean delete(Class<T> kind, String namespace, String name) {
            throw new AssertionError();
        }

        @Override
        public String podProxyGet(String namespace, String pod, int port, String path) {
            throw new AssertionError();
        }

        @Override
        public String exec(
                String namespace, String pod, String container, java.time.Duration timeout, String... command) {
            throw new AssertionError();
        }
    }
}
