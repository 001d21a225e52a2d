package io.clustermesh.controller.cilium;

/**
 * The per-remote TLS material written into the Secret when the two clusters' {@code cilium-ca}
 * differ (contract §5.2 A; Helm {@code clusters[].tls}). Plain PEM text, not base64.
 *
 * @param caCertPem the remote's {@code cilium-ca} {@code ca.crt}
 * @param certPem   the remote's {@code clustermesh-apiserver-remote-cert} {@code tls.crt}
 * @param keyPem    the remote's {@code clustermesh-apiserver-remote-cert} {@code tls.key}
 */
public record RemoteClientTls(String caCertPem, String certPem, String keyPem) {
    public RemoteClientTls {
        if (caCertPem == null || certPem == null || keyPem == null) {
            throw new IllegalArgumentException("CA, certificate and key are all required");
        }
    }

    @Override
    public String toString() {
        // Never print the private key (ProblemException and logs must stay credential-free).
        return "RemoteClientTls[caCertPem=…, certPem=…, keyPem=<redacted>]";
    }
}
