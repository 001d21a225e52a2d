package io.clustermesh.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class PemTest {
    private final CertificateAuthority ca = ClusterMeshCertificates.generateCa(Clock.systemUTC());

    @Test
    void certificateAndKeySurviveAPemRoundTrip() {
        IssuedCertificate issued = ca.issue(ClusterMeshCertificates.local("cloud"));

        assertThat(Pem.parseCertificate(issued.certificatePem())).isEqualTo(issued.certificate());
        assertThat(Pem.parsePrivateKey(issued.privateKeyPem()).getEncoded())
                .isEqualTo(issued.privateKey().getEncoded());
    }

    @Test
    void loadedCaKeepsIssuing() {
        CertificateAuthority loaded = CertificateAuthority.load(ca.certificatePem(), ca.privateKeyPem());

        IssuedCertificate issued = loaded.issue(ClusterMeshCertificates.remote());

        assertThat(issued.certificate().getIssuerX500Principal())
                .isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void loadingRefusesAKeyOfAnotherCa() {
        CertificateAuthority other = ClusterMeshCertificates.generateCa(Clock.systemUTC());

        assertThatThrownBy(() -> CertificateAuthority.load(ca.certificatePem(), other.privateKeyPem()))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("caKey"));
    }

    @Test
    void loadingRefusesALeafAsCa() {
        IssuedCertificate leaf = ca.issue(ClusterMeshCertificates.remote());

        assertThatThrownBy(() -> CertificateAuthority.load(leaf.certificatePem(), leaf.privateKeyPem()))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("caCert"));
    }

    @Test
    void unreadableKeyIsInvalidInputWithoutEchoingIt() {
        String label = "PRIVATE" + " KEY"; // built from parts: no key-shaped literal in the repository
        String garbage = "-----BEGIN " + label + "-----\nc2VjcmV0LXNlY3JldA==\n-----END " + label + "-----\n";

        assertThatThrownBy(() -> Pem.parsePrivateKey(garbage, "tlsKey"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.field()).isEqualTo("tlsKey");
                    assertThat(e.getMessage()).doesNotContain("c2VjcmV0");
                });
    }

    @Test
    void textWithoutCertificateIsInvalidInput() {
        assertThatThrownBy(() -> Pem.parseCertificates("hello", "caCert"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("caCert"));
    }

    @Test
    void bundleReadsEveryCertificateAndSkipsTextAndOtherBlocks() {
        IssuedCertificate leaf = ca.issue(ClusterMeshCertificates.remote());
        String bundle = "Bag Attributes: from openssl\n" + ca.certificatePem() + "\n" + leaf.privateKeyPem()
                + leaf.certificatePem().replace("\n", "\r\n");

        assertThat(Pem.parseCertificates(bundle)).containsExactly(ca.certificate(), leaf.certificate());
    }

    @Test
    void certificateBlockWithoutItsEndIsInvalidInput() {
        String pem = ca.certificatePem();
        String truncated = pem + pem.substring(0, pem.length() / 2);

        assertThatThrownBy(() -> Pem.parseCertificates(truncated, "caBundle"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.field()).isEqualTo("caBundle"));
    }
}
