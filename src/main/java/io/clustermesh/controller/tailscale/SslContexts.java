package io.clustermesh.controller.tailscale;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

final class SslContexts {
    private SslContexts() {}

    static SslContext forClient(HttpsTrust trust) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (trust instanceof HttpsTrust.PemCertificates pem) {
            builder.trustManager(new ByteArrayInputStream(pem.pem().getBytes(StandardCharsets.US_ASCII)));
        } else if (trust instanceof HttpsTrust.Managers managers) {
            builder.trustManager(managers.factory());
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build TLS client context: " + e.getMessage(), e);
        }
    }
}
