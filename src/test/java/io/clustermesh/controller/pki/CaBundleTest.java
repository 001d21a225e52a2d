package io.clustermesh.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
        assertThat(certificates)
                .extracting(CaBundle::subjectKeyIdHex)
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

    @Test
    void subjectKeyIdMatchesBouncyCastleWithAndWithoutTheExtension() throws Exception {
        X509Certificate withExtension = homelab.certificate();
        byte[] octets = ASN1OctetString.getInstance(
                        withExtension.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .getOctets();
        assertThat(CaBundle.subjectKeyIdHex(withExtension))
                .isEqualTo(HexFormat.of()
                        .formatHex(SubjectKeyIdentifier.getInstance(octets).getKeyIdentifier()));

        for (String algorithm : List.of("EC", "RSA")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(algorithm.equals("EC") ? 256 : 2048);
            KeyPair keys = generator.generateKeyPair();
            var name = new X500Name("CN=no-skid");
            var now = Instant.now();
            X509Certificate bare = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    BigInteger.ONE,
                                    Date.from(now),
                                    Date.from(now.plusSeconds(3600)),
                                    name,
                                    keys.getPublic())
                            .build(new JcaContentSignerBuilder(
                                            algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                                    .build(keys.getPrivate())));
            assertThat(bare.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                    .isNull();
            assertThat(CaBundle.subjectKeyIdHex(bare))
                    .as(algorithm)
                    .isEqualTo(HexFormat.of()
                            .formatHex(new JcaX509ExtensionUtils()
                                    .createSubjectKeyIdentifier(keys.getPublic())
                                    .getKeyIdentifier()));
        }
    }
}
