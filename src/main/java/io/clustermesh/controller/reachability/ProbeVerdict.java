package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a probe of one endpoint concluded, as the API (and a probe Pod's output) spells it. */
public enum ProbeVerdict {
    OK("ok"),
    TIMEOUT("timeout"),
    REFUSED("refused"),
    TLS_ERROR("tls-error"),
    WRONG_CLUSTER("wrong-cluster"),
    UNRESOLVED("unresolved"),
    FAILED("failed"),
    /** The target has no endpoint to dial (ClusterMesh off, nothing declared). */
    NO_ENDPOINT("no-endpoint"),
    /** Nothing was observed (a simulated cluster with no simulation running). */
    UNKNOWN("unknown"),
    /** Tailscale: the device behind the endpoint is offline (tailscale.md). */
    DEVICE_OFFLINE("device-offline"),
    /** Tailscale: the device's node key expired. */
    KEY_EXPIRED("key-expired");

    private final String value;

    ProbeVerdict(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** @throws IllegalArgumentException for a word no probe gives */
    @JsonCreator
    public static ProbeVerdict of(String value) {
        return Arrays.stream(values())
                .filter(v -> v.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a probe result: " + value));
    }

    @Override
    public String toString() {
        return value;
    }
}
