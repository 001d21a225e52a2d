package io.clustermesh.controller.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.tailscale.support.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas of the service electing the one that runs scheduled rotations, against one (mock) home cluster. */
class LeaderElectionTest {
    private static final String NS = "clustermesh-system";
    private static final String LEASE = "clustermesh-controller-rotation";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void exactlyOneOfTwoReplicasRotates() throws Exception {
        LeaderElection a = new LeaseLeaderElection(client, NS, LEASE, "replica-a", Duration.ofSeconds(30), clock);
        LeaderElection b = new LeaseLeaderElection(client, NS, LEASE, "replica-b", Duration.ofSeconds(30), clock);
        AtomicInteger rotationsA = new AtomicInteger();
        AtomicInteger rotationsB = new AtomicInteger();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            for (int pass = 0; pass < 15; pass++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> passA = replicas.submit(() -> scheduledPass(a, together, rotationsA));
                Future<?> passB = replicas.submit(() -> scheduledPass(b, together, rotationsB));
                passA.get();
                passB.get();
                clock.advance(Duration.ofSeconds(10));
            }
        } finally {
            replicas.shutdownNow();
        }
        assertThat(rotationsA.get() + rotationsB.get()).isEqualTo(15);
        assertThat(List.of(rotationsA.get(), rotationsB.get())).containsOnlyOnce(0);
        String leader = rotationsA.get() > 0 ? "replica-a" : "replica-b";
        assertThat(a.holder()).isEqualTo(leader);
        assertThat(client.leases()
                        .inNamespace(NS)
                        .withName(LEASE)
                        .get()
                        .getSpec()
                        .getLeaseTransitions())
                .isZero();
    }

    @Test
    void theOtherReplicaTakesOverOnlyOnceTheLeaderStopsRenewing() {
        LeaderElection a = new LeaseLeaderElection(client, NS, LEASE, "replica-a", Duration.ofSeconds(30), clock);
        LeaderElection b = new LeaseLeaderElection(client, NS, LEASE, "replica-b", Duration.ofSeconds(30), clock);
        assertThat(a.tryLead()).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(b.tryLead()).isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(b.tryLead()).as("a's lease expired").isTrue();
        assertThat(a.tryLead()).isFalse();
        assertThat(b.holder()).isEqualTo("replica-b");
        assertThat(client.leases()
                        .inNamespace(NS)
                        .withName(LEASE)
                        .get()
                        .getSpec()
                        .getLeaseTransitions())
                .isEqualTo(1);
    }

    @Test
    void outsideKubernetesAFileLockElectsOneProcess() throws Exception {
        Path lock = Files.createTempFile("rotation-", ".lock");
        LocalLeaderElection first = new LocalLeaderElection(lock);
        assertThat(first.tryLead()).isTrue();
        assertThat(first.tryLead()).isTrue();
        // A second process cannot lock the same file; within one JVM the overlapping lock is refused the same way.
        assertThat(new LocalLeaderElection(lock).tryLead()).isFalse();
        Files.deleteIfExists(lock);
    }

    private static void scheduledPass(LeaderElection election, CyclicBarrier together, AtomicInteger rotations) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (election.tryLead()) {
            rotations.incrementAndGet();
        }
    }
}
