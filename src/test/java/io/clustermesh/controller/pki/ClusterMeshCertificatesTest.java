package io.clustermesh.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class ClusterMeshCertificatesTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    // java.security.cert.X509Certificate#getKeyUsage indexes
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final CertificateAuthority ca = ClusterMeshCertificates.generateCa(clock);

    @Test
    void caIsCiliumCaValidFor1095DaysAndSignsCertificates() {
        X509Certificate cert = ca.certificate();
        CertificateInfo info = CertificateInfo.of(cert, clock);

        assertThat(info.commonName()).isEqualTo("Cilium CA");
        assertThat(info.subject()).isEqualTo("CN=Cilium CA");
        assertThat(info.issuer()).isEqualTo("CN=Cilium CA");
        assertThat(info.isCa()).isTrue();
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(info.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(1095)));
        assertThat(info.notBefore()).isEqualTo(NOW.minus(CertificateSigner.BACKDATE));
        assertThat(cert.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
        assertThat(cert.getKeyUsage()[CRL_SIGN]).isTrue();
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(info.dnsNames()).isEmpty();
        assertThat(info.ipAddresses()).isEmpty();
    }

    @Test
    void serverCertCarriesTheChartSansPlusExtras() throws Exception {
        CertificateProfile profile = ClusterMeshCertificates.server(
                "kube-system", List.of("cloud-mesh.example.net"), List.of("203.0.113.10", "fd00::10"));

        assertThat(profile.commonName()).isEqualTo("clustermesh-apiserver.cilium.io");
        assertThat(profile.dnsNames())
                .containsExactly(
                        "clustermesh-apiserver.cilium.io",
                        "*.mesh.cilium.io",
                        "clustermesh-apiserver.kube-system.svc",
                        "cloud-mesh.example.net");
        assertThat(profile.ipAddresses()).containsExactly("127.0.0.1", "::1", "203.0.113.10", "fd00::10");
        assertThat(profile.keyUsages())
                .containsExactlyInAnyOrder(
                        CertificateProfile.KeyUsage.DIGITAL_SIGNATURE, CertificateProfile.KeyUsage.KEY_ENCIPHERMENT);
        assertThat(profile.extendedKeyUsages())
                .containsExactlyInAnyOrder(
                        CertificateProfile.ExtendedKeyUsage.SERVER_AUTH,
                        CertificateProfile.ExtendedKeyUsage.CLIENT_AUTH);
        assertThat(profile.validity()).isEqualTo(Duration.ofDays(1095));
        assertThat(profile.isCa()).isFalse();

        X509Certificate cert = ca.issue(profile).certificate();
        CertificateInfo info = CertificateInfo.of(cert, clock);
        assertThat(info.subject()).isEqualTo("CN=clustermesh-apiserver.cilium.io");
        assertThat(info.issuer()).isEqualTo("CN=Cilium CA");
        assertThat(info.dnsNames()).containsExactlyElementsOf(profile.dnsNames());
        // Java renders IPv6 SANs in full form.
        assertThat(info.ipAddresses())
                .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1", "203.0.113.10", "fd00:0:0:0:0:0:0:10");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(cert.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
        assertThat(cert.getKeyUsage()[KEY_ENCIPHERMENT]).isTrue();
        assertThat(cert.getKeyUsage()[KEY_CERT_SIGN]).isFalse();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(info.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(1095)));
        cert.verify(ca.certificate().getPublicKey());
    }

    @Test
    void serverCertDoesNotRepeatExtrasAlreadyBuiltIn() {
        CertificateProfile profile =
                ClusterMeshCertificates.server("cilium", List.of("*.mesh.cilium.io"), List.of("127.0.0.1"));

        assertThat(profile.dnsNames())
                .containsExactly(
                        "clustermesh-apiserver.cilium.io", "*.mesh.cilium.io", "clustermesh-apiserver.cilium.svc");
        assertThat(profile.ipAddresses()).containsExactly("127.0.0.1", "::1");
    }

    @Test
    void serverCertNeedsANamespaceThatIsADnsLabel() {
        assertThatThrownBy(() -> ClusterMeshCertificates.server("Kube_System", List.of(), List.of()))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("namespace"));
    }

    @Test
    void clientCertsAreNamedAfterTheirEtcdUsersAndAllowClientAuthOnly() throws Exception {
        assertClientCert(ClusterMeshCertificates.admin("homelab"), "admin-homelab");
        assertClientCert(ClusterMeshCertificates.remote(), "remote");
        assertClientCert(ClusterMeshCertificates.remoteForCluster("homelab"), "remote-homelab");
        assertClientCert(ClusterMeshCertificates.local("homelab"), "local-homelab");
    }

    @Test
    void issuedCertificatesHaveRandomPositive128BitSerials() {
        IssuedCertificate first = ca.issue(ClusterMeshCertificates.remote());
        IssuedCertificate second = ca.issue(ClusterMeshCertificates.remote());

        assertThat(first.certificate().getSerialNumber().signum()).isPositive();
        assertThat(first.certificate().getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(second.certificate().getSerialNumber())
                .isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(CertificateInfo.of(first.certificate(), clock).serialHex())
                .isEqualTo(first.certificate().getSerialNumber().toString(16))
                .hasSize(32);
    }

    @Test
    void authorityKeyIdentifierOfLeafIsTheSubjectKeyIdentifierOfTheCa() {
        X509Certificate leaf = ca.issue(ClusterMeshCertificates.admin("cloud")).certificate();

        byte[] aki = ASN1OctetString.getInstance(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets();
        String akiHex =
                HexFormat.of().formatHex(AuthorityKeyIdentifier.getInstance(aki).getKeyIdentifier());
        assertThat(akiHex).isEqualTo(ca.subjectKeyId()).hasSize(40);
        assertThat(CaBundle.subjectKeyIdHex(leaf)).isNotEqualTo(ca.subjectKeyId());
    }

    @Test
    void extensionsAreMarkedCriticalAsRfc5280Expects() {
        X509Certificate leaf = ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()))
                .certificate();

        assertThat(leaf.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(leaf.getNonCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(
                        Extension.extendedKeyUsage.getId(), Extension.subjectAlternativeName.getId(),
                        Extension.subjectKeyIdentifier.getId(), Extension.authorityKeyIdentifier.getId());
    }

    @Test
    void toStringNeverShowsPrivateKeys() {
        IssuedCertificate issued = ca.issue(ClusterMeshCertificates.remote());
        String keyBody = issued.privateKeyPem().lines().skip(1).findFirst().orElseThrow();

        assertThat(issued.toString())
                .contains("CN=remote")
                .contains("<redacted>")
                .doesNotContain(keyBody);
        assertThat(ca.toString())
                .contains("<redacted>")
                .doesNotContain(ca.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
    }

    private void assertClientCert(CertificateProfile profile, String commonName) throws Exception {
        assertThat(profile.commonName()).isEqualTo(commonName);
        assertThat(profile.dnsNames()).isEmpty();
        assertThat(profile.ipAddresses()).isEmpty();
        assertThat(profile.extendedKeyUsages()).containsExactly(CertificateProfile.ExtendedKeyUsage.CLIENT_AUTH);
        assertThat(profile.validity()).isEqualTo(Duration.ofDays(1095));
        assertThat(profile.isCa()).isFalse();

        X509Certificate cert = ca.issue(profile).certificate();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + commonName);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(cert.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
        assertThat(cert.getKeyUsage()[KEY_ENCIPHERMENT]).isTrue();
        assertThat(cert.getSubjectAlternativeNames()).isNull();
        cert.verify(ca.certificate().getPublicKey());
    }
}
