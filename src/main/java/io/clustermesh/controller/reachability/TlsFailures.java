package io.clustermesh.controller.reachability;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Turns JSSE's exceptions into the short reasons an operator knows from etcd and Cilium logs (Go's
 * crypto/tls wording where it has one). Reasons come from exception types and TLS alert names,
 * never from key material.
 */
final class TlsFailures {
    static final String UNKNOWN_AUTHORITY = "certificate signed by unknown authority";

    private TlsFailures() {}

    static boolean isTls(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    static String reason(Throwable failure, String verifiedName) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof CertificateExpiredException) {
                return "server certificate has expired";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "server certificate is not yet valid";
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return UNKNOWN_AUTHORITY;
            }
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return "certificate is not valid for " + verifiedName + " (hostname mismatch)";
            }
        }
        String message = String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT);
        for (String alert : new String[] {
            "bad_certificate",
            "certificate_required",
            "unknown_ca",
            "certificate_unknown",
            "access_denied",
            "decrypt_error"
        }) {
            if (message.contains(alert)) {
                return "server rejected our client certificate (" + alert + ")";
            }
        }
        return "TLS failed: " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
