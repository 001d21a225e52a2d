package io.clustermesh.controller.tailscale;

import javax.net.ssl.TrustManagerFactory;

/** Which server certificates {@link NettyHttpClient} accepts for HTTPS. */
public sealed interface HttpsTrust {

    /** The JVM's default trust store (what api.tailscale.com needs). */
    record SystemDefault() implements HttpsTrust {}

    /** One or more PEM certificates (a private CA, or a test server's self-signed cert). */
    record PemCertificates(String pem) implements HttpsTrust {}

    record Managers(TrustManagerFactory factory) implements HttpsTrust {}

    static HttpsTrust systemDefault() {
        return new SystemDefault();
    }

    static HttpsTrust pem(String pem) {
        return new PemCertificates(pem);
    }
}
