package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.clustermesh.controller.cilium.RemoteReason.RemoteVerdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteReasonTest {
    private static final RemoteCluster.Config CONFIG_OK = RemoteCluster.Config.of(2, true, true, false, true);

    private static RemoteCluster remote(
            boolean connected, boolean ready, String status, RemoteCluster.Config config, RemoteCluster.Synced synced) {
        return new RemoteCluster("cloud", connected, ready, status, 0, 0, 0, 0, 0, 0, 0, null, config, synced);
    }

    private static RemoteCluster fixture(String name, String remote) {
        return AgentStatus.parse(Fixtures.text(name)).remote(remote).orElseThrow();
    }

    /** Every reason, in cilium-cli's order (§7.1 step 7), pinned with a named case. */
    static Stream<Arguments> reasons() {
        return Stream.of(
                arguments(
                        "healthy fixture is ready",
                        fixture("cilium-dbg-status-healthy.json", "cloud"),
                        RemoteReason.READY,
                        "ready",
                        null),
                arguments(
                        "ready wins even with stale failures",
                        remote(true, true, "etcd: 1/1 connected", null, null),
                        RemoteReason.READY,
                        "ready",
                        null),
                arguments(
                        "disconnected fixture reports Cilium's status text",
                        fixture("cilium-dbg-status-remote-disconnected.json", "cloud"),
                        RemoteReason.NOT_CONNECTED,
                        "Waiting for initial connection to be established",
                        "clustermesh-apiserver endpoint"),
                arguments(
                        "etcd error text is the reason",
                        remote(
                                false,
                                false,
                                "Err: not able to connect to any etcd endpoints",
                                CONFIG_OK,
                                RemoteCluster.Synced.all()),
                        RemoteReason.NOT_CONNECTED,
                        "Err: not able to connect to any etcd endpoints",
                        "CA"),
                arguments(
                        "not connected without status text",
                        remote(false, false, null, null, null),
                        RemoteReason.NOT_CONNECTED,
                        "not connected",
                        "reach"),
                arguments(
                        "connected without config object",
                        remote(true, false, "etcd: 1/1 connected", null, RemoteCluster.Synced.all()),
                        RemoteReason.CONFIG_UNKNOWN,
                        "configuration retrieval status unknown",
                        "wait"),
                arguments(
                        "config-missing fixture is a name mismatch",
                        fixture("cilium-dbg-status-config-missing.json", "cloud-eu"),
                        RemoteReason.CONFIG_NOT_RETRIEVED,
                        "configuration required but not found",
                        "cluster-name"),
                arguments(
                        "connected without synced object",
                        remote(true, false, "etcd: 1/1 connected", CONFIG_OK, null),
                        RemoteReason.SYNC_UNKNOWN,
                        "synchronization status unknown",
                        "wait"),
                arguments(
                        "not-required config not retrieved goes on to sync",
                        remote(
                                true,
                                false,
                                "ok",
                                RemoteCluster.Config.of(0, false, false, false, false),
                                RemoteCluster.Synced.of(true, false, false, true)),
                        RemoteReason.SYNC_IN_PROGRESS,
                        "synchronization in progress for endpoints, identities",
                        "initial"),
                arguments(
                        "all four pending are listed in cilium-cli order",
                        remote(true, false, "ok", CONFIG_OK, RemoteCluster.Synced.of(false, false, false, false)),
                        RemoteReason.SYNC_IN_PROGRESS,
                        "synchronization in progress for nodes, endpoints, identities, services",
                        "initial"),
                arguments(
                        "everything fine but not ready",
                        remote(true, false, "ok", CONFIG_OK, RemoteCluster.Synced.all()),
                        RemoteReason.NOT_READY,
                        "not ready",
                        "agent logs"),
                arguments(
                        "expected but absent is unknown", null, RemoteReason.UNKNOWN, "unknown status", "endpoints:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasons")
    void statusMapsToReason(String name, RemoteCluster remote, RemoteReason reason, String text, String hintFragment) {
        RemoteVerdict verdict = RemoteReason.classify(remote == null ? "cloud" : remote.name(), remote);

        assertThat(verdict.reason()).isEqualTo(reason);
        assertThat(verdict.text()).isEqualTo(text);
        if (hintFragment == null) {
            assertThat(verdict.hint()).isNull();
        } else {
            assertThat(verdict.hint()).contains(hintFragment);
        }
    }

    @Test
    void aggregationCountsReadyAgentsAndPicksTheMostCommonReason() {
        RemoteVerdict ready =
                RemoteReason.classify("cloud", remote(true, true, "ok", CONFIG_OK, RemoteCluster.Synced.all()));
        RemoteVerdict down = RemoteReason.classify("cloud", remote(false, false, "Err: timeout", null, null));
        RemoteVerdict absent = RemoteReason.classify("cloud", null);

        RemoteReadiness r = RemoteReadiness.aggregate("cloud", List.of(ready, absent, down, down));

        assertThat(r.ready()).isEqualTo(1);
        assertThat(r.total()).isEqualTo(4);
        assertThat(r.allReady()).isFalse();
        assertThat(r.dominant().reason()).isEqualTo(RemoteReason.NOT_CONNECTED);
        assertThat(r.dominant().text()).isEqualTo("Err: timeout");
    }

    @Test
    void aggregationTieGoesToTheEarlierReasonInCiliumCliOrder() {
        RemoteVerdict absent = RemoteReason.classify("cloud", null);
        RemoteVerdict syncing = RemoteReason.classify(
                "cloud", remote(true, false, "ok", CONFIG_OK, RemoteCluster.Synced.of(false, true, true, true)));

        RemoteReadiness r = RemoteReadiness.aggregate("cloud", List.of(absent, syncing));

        assertThat(r.dominant().reason()).isEqualTo(RemoteReason.SYNC_IN_PROGRESS);
    }

    @Test
    void aggregationOfAllReadyIsReadyAndOfNothingIsUnknown() {
        RemoteVerdict ready = RemoteReason.classify("cloud", fixture("cilium-dbg-status-healthy.json", "cloud"));

        assertThat(RemoteReadiness.aggregate("cloud", List.of(ready, ready)).allReady())
                .isTrue();
        RemoteReadiness none = RemoteReadiness.aggregate("cloud", List.of());
        assertThat(none.total()).isZero();
        assertThat(none.dominant().reason()).isEqualTo(RemoteReason.UNKNOWN);
        assertThat(none.allReady()).isFalse();
    }
}
