package io.clustermesh.controller.pki;

import io.clustermesh.controller.problems.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * What a certificate must say: the only input to {@link CertificateAuthority#issue}. Profiles for
 * the ClusterMesh certificates live in {@link ClusterMeshCertificates}.
 *
 * @param ipAddresses IP literals only (v4 or v6); never resolved, so a profile is pure data
 */
public record CertificateProfile(
        String commonName,
        List<String> dnsNames,
        List<String> ipAddresses,
        Set<KeyUsage> keyUsages,
        Set<ExtendedKeyUsage> extendedKeyUsages,
        Duration validity,
        boolean isCa) {

    public enum KeyUsage {
        DIGITAL_SIGNATURE,
        KEY_ENCIPHERMENT,
        KEY_CERT_SIGN,
        CRL_SIGN
    }

    public enum ExtendedKeyUsage {
        SERVER_AUTH,
        CLIENT_AUTH
    }

    public CertificateProfile {
        if (commonName == null || commonName.isBlank()) {
            throw ProblemException.invalid("commonName", "a certificate needs a common name");
        }
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw ProblemException.invalid("validity", "validity must be positive, was " + validity);
        }
        dnsNames = List.copyOf(dnsNames == null ? List.of() : dnsNames);
        ipAddresses = List.copyOf(ipAddresses == null ? List.of() : ipAddresses);
        keyUsages = Set.copyOf(keyUsages == null ? Set.of() : keyUsages);
        extendedKeyUsages = Set.copyOf(extendedKeyUsages == null ? Set.of() : extendedKeyUsages);
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw ProblemException.invalid("ipAddresses", "not an IP address: " + ip);
            }
        }
        for (String dns : dnsNames) {
            if (dns.isBlank() || dns.chars().anyMatch(Character::isWhitespace)) {
                throw ProblemException.invalid("dnsNames", "not a DNS name: '" + dns + "'");
            }
        }
    }
}
