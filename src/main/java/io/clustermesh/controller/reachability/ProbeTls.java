package io.clustermesh.controller.reachability;

import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/** Client TLS for a probe: our client cert, only the given CAs as trust, hostname verification. */
final class ProbeTls {
    private ProbeTls() {}

    /** Bad PEM is the caller's mistake, reported as a problem before any connection is made. */
    static SslContext contextFor(KvstoreProbeTarget target, String applicationProtocol) {
        List<X509Certificate> trusted = Pem.parseCertificates(target.trustedCaPem(), "trustedCa");
        List<X509Certificate> chain = Pem.parseCertificates(target.clientCertPem(), "clientCert");
        PrivateKey key = Pem.parsePrivateKey(target.clientKeyPem(), "clientKey");
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .keyManager(key, chain.toArray(X509Certificate[]::new))
                    .trustManager(trusted.toArray(X509Certificate[]::new))
                    .protocols("TLSv1.3", "TLSv1.2");
            if (applicationProtocol != null) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE,
                        SelectedListenerFailureBehavior.ACCEPT,
                        applicationProtocol));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new ProblemException(
                    ProblemType.INVALID_INPUT,
                    "client certificate and key cannot be used for TLS: "
                            + e.getClass().getSimpleName(),
                    "clientCert");
        }
    }

    /**
     * The SNI and verified name is {@code target.verifiedName()}, not the address we connect to:
     * Cilium dials {@code <cluster>.mesh.cilium.io} and a hostAlias maps it to an IP (§5.3).
     */
    static SslHandler handlerFor(SslContext context, ByteBufAllocator allocator, KvstoreProbeTarget target) {
        SslHandler handler = context.newHandler(allocator, target.verifiedName(), target.port());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }
}
