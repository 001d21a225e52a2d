package io.clustermesh.controller.reachability;

import io.clustermesh.controller.problems.ProblemException;
import java.util.Objects;

/**
 * Where and as whom to probe a clustermesh-apiserver's etcd, the way a remote cluster's agents
 * would connect: the endpoint from its access information (contract §4, §5.3) and the
 * {@code remote} client cert (§3.5).
 *
 * @param host name or IP literal to connect to
 * @param tlsServerName name to verify the server cert against (and send as SNI), e.g.
 *     {@code cloud.mesh.cilium.io} when {@code host} is the IP a hostAlias points at; null means
 *     {@code host}
 * @param trustedCaPem one or several CA certificates (a bundle, §5.4)
 * @param clientKeyPem a secret; never logged, never in {@link #toString()}
 */
public record KvstoreProbeTarget(
        String host,
        int port,
        String tlsServerName,
        String trustedCaPem,
        String clientCertPem,
        String clientKeyPem,
        String expectedClusterName,
        int expectedClusterId) {

    public KvstoreProbeTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(trustedCaPem, "trustedCaPem");
        Objects.requireNonNull(clientCertPem, "clientCertPem");
        Objects.requireNonNull(clientKeyPem, "clientKeyPem");
        Objects.requireNonNull(expectedClusterName, "expectedClusterName");
        if (port < 1 || port > 65535) {
            throw ProblemException.invalid("port", "port out of range: " + port);
        }
    }

    /** The name the server certificate must be valid for. */
    public String verifiedName() {
        return tlsServerName == null || tlsServerName.isBlank() ? host : tlsServerName;
    }

    @Override
    public String toString() {
        return "KvstoreProbeTarget[" + host + ":" + port + ", tlsServerName=" + verifiedName() + ", expected="
                + expectedClusterName + "/" + expectedClusterId + ", clientKey=<redacted>]";
    }
}
