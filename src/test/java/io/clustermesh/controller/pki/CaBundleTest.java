package io.clustermesh.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaBundleTest {
    private final Clock clock = Clock.systemUTC();
    private final CertificateAuthority homelab = ClusterMeshCertificates.generateCa(clock);
    private final CertificateAuthority cloud = ClusterMeshCertificates.generateCa(clock);

    @Test
    void bundleKeepsEachCaOnceInFirstSeenOrder() {
        String existing = CaBundle.combine(homelab.certificatePem(), cloud.certificatePem());

        String bundle = CaBundle.combine(existing, cloud.certificatePem(), homelab.certificatePem());

        List<X509Certificate> certificates = Pem.parseCertificates(bundle);
        assertThat(certificates).extracting(CaBundle::subjectKeyIdHex)
                .containsExactly(homelab.subjectKeyId(), cloud.subjectKeyId());
    }

    @Test
    void sameCaWrittenDifferentlyIsKeptOnce() {
        // Secrets edited on Windows or copied from YAML often carry CRLF and extra blank lines.
        String crlf = homelab.certificatePem().replace("\n", "\r\n") + "\r\n\r\n";

        String bundle = CaBundle.combine(homelab.certificatePem(), crlf);

        assertThat(Pem.parseCertificates(bundle)).hasSize(1);
    }

    @Test
    void bundleRefusesLeafCertificates() {
        IssuedCertificate leaf = homelab.issue(ClusterMeshCertificates.remote());

        assertThatThrownBy(() -> CaBundle.combine(homelab.certificatePem(), leaf.certificatePem()))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("caBundle");
                });
    }
}
