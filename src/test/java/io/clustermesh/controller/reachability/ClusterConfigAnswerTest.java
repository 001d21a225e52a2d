package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** etcd's answers, as both transports deliver them, mapped to probe results (contract §9). */
class ClusterConfigAnswerTest {
    private static final Duration LATENCY = Duration.ofMillis(12);
    private static final KvstoreProbeTarget CLOUD =
            new KvstoreProbeTarget("127.0.0.1", 2379, null, "ca", "cert", "key", "cloud", 2);

    @Test
    void allCapabilitiesAreRead() {
        String value = "{\"id\":2,\"capabilities\":{\"syncedCanaries\":true,\"cached\":true,"
                + "\"maxConnectedClusters\":511,\"serviceExportsEnabled\":false,\"endpointSlicesExportMode\":\"all\"}}";

        ProbeResult result = ClusterConfigAnswer.fromValue(bytes(value), CLOUD, LATENCY);

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Ok.class, ok -> {
            assertThat(ok.latency()).isEqualTo(LATENCY);
            assertThat(ok.capabilities().syncedCanaries()).isTrue();
            assertThat(ok.capabilities().cached()).isTrue();
            assertThat(ok.capabilities().maxConnectedClusters()).isEqualTo(511);
            assertThat(ok.capabilities().serviceExportsEnabled()).isFalse();
            assertThat(ok.capabilities().endpointSlicesExportMode()).isEqualTo("all");
        });
    }

    @Test
    void omittedCapabilitiesReadAsEmpty() {
        ProbeResult result = ClusterConfigAnswer.fromValue(bytes("{\"id\":2}"), CLOUD, LATENCY);

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Ok.class, ok -> {
            assertThat(ok.capabilities().syncedCanaries()).isFalse();
            assertThat(ok.capabilities().maxConnectedClusters()).isZero();
            assertThat(ok.capabilities().serviceExportsEnabled()).isNull();
        });
    }

    @Test
    void valueWithoutIdIsAFailureNotAWrongCluster() {
        ProbeResult result = ClusterConfigAnswer.fromValue(bytes("{\"capabilities\":{}}"), CLOUD, LATENCY);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Failed.class,
                        failed -> assertThat(failed.reason())
                                .isEqualTo("unreadable cilium/cluster-config/cloud: cluster-config has no numeric id"));
    }

    @Test
    void gatewayForbiddenMeansAnotherCluster() {
        ProbeResult result = ClusterConfigAnswer.fromGateway(
                403,
                "{\"error\":\"etcdserver: permission denied\",\"code\":7,\"message\":\"etcdserver: permission denied\"}",
                CLOUD,
                LATENCY);

        assertThat(result).isInstanceOf(ProbeResult.WrongCluster.class);
    }

    @Test
    void gatewayRangeAnswerIsDecoded() {
        String value = Base64.getEncoder().encodeToString(bytes("{\"id\":2}"));
        String body = "{\"header\":{\"revision\":\"2\"},\"kvs\":[{\"key\":\"eA==\",\"value\":\"" + value
                + "\"}],\"count\":\"1\"}";

        assertThat(ClusterConfigAnswer.fromGateway(200, body, CLOUD, LATENCY)).isInstanceOf(ProbeResult.Ok.class);
    }

    @Test
    void unexpectedGatewayAnswerIsQuotedShortly() {
        ProbeResult result =
                ClusterConfigAnswer.fromGateway(502, "<html>" + "x".repeat(1000) + "</html>", CLOUD, LATENCY);

        assertThat(result).isInstanceOfSatisfying(ProbeResult.Failed.class, failed -> {
            assertThat(failed.reason()).startsWith("etcd answered HTTP 502: <html>xxx");
            assertThat(failed.reason().length()).isLessThan(260);
        });
    }

    @Test
    void grpcPermissionDeniedMeansAnotherCluster() {
        ProbeResult result = ClusterConfigAnswer.fromGrpcError(7, "etcdserver: permission denied", CLOUD, LATENCY);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.WrongCluster.class,
                        wrong -> assertThat(wrong.expectedId()).isEqualTo(2));
    }

    @Test
    void otherGrpcErrorsAreFailuresWithEtcdsMessage() {
        ProbeResult result = ClusterConfigAnswer.fromGrpcError(14, "etcdserver: leader changed", CLOUD, LATENCY);

        assertThat(result)
                .isInstanceOfSatisfying(
                        ProbeResult.Failed.class,
                        failed -> assertThat(failed.reason())
                                .isEqualTo(
                                        "etcd refused the range request (gRPC status 14): etcdserver: leader changed"));
    }

    @Test
    void rangeRequestEncodesTheKeyAsField1() {
        byte[] request = EtcdRangeMessages.rangeRequest(bytes("cilium/cluster-config/cloud"));

        assertThat(request[0]).isEqualTo((byte) 0x0A);
        assertThat(request[1]).isEqualTo((byte) 27);
        assertThat(new String(request, 2, 27, StandardCharsets.UTF_8)).isEqualTo("cilium/cluster-config/cloud");
    }

    @Test
    void rangeResponseValueIsFoundPastOtherFields() {
        // header{revision=300} kvs{key="k", create_revision=2, value="{\"id\":2}"} count=1
        byte[] value = bytes("{\"id\":2}");
        byte[] keyValue = concat(new byte[] {0x0A, 1, 'k', 0x10, 2, 0x2A, (byte) value.length}, value);
        byte[] response = concat(
                new byte[] {0x0A, 3, 0x18, (byte) 0xAC, 0x02, 0x12, (byte) keyValue.length},
                keyValue,
                new byte[] {0x20, 1});

        assertThat(EtcdRangeMessages.firstValue(response)).isEqualTo(value);
    }

    @Test
    void rangeResponseWithoutKvsHasNoValue() {
        assertThat(EtcdRangeMessages.firstValue(new byte[] {0x0A, 2, 0x18, 5})).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
