package io.clustermesh.controller.pki;

import static io.clustermesh.controller.support.ExternalCommand.requireBinary;
import static io.clustermesh.controller.support.ExternalCommand.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.support.ExternalCommand.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our chains checked by the real openssl binary, the tool an operator would reach for. */
class OpensslInteropTest {
    private static final String OPENSSL = "/usr/bin/openssl";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final CertificateAuthority ca = ClusterMeshCertificates.generateCa(clock);

    @BeforeEach
    void requireOpenssl() {
        requireBinary(OPENSSL, "openssl");
    }

    @Test
    void opensslVerifiesServerCertAgainstOurCa() throws IOException {
        IssuedCertificate server = ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()));

        Result result =
                verify(write("ca.pem", ca.certificatePem()), write("server.pem", server.certificatePem()), "sslserver");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("server.pem: OK");
    }

    @Test
    void opensslVerifiesClientCertsForClientAuth() throws IOException {
        IssuedCertificate remote = ca.issue(ClusterMeshCertificates.remote());

        Result result =
                verify(write("ca.pem", ca.certificatePem()), write("remote.pem", remote.certificatePem()), "sslclient");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void opensslRejectsServerCertAgainstForeignCa() throws IOException {
        CertificateAuthority foreign = ClusterMeshCertificates.generateCa(clock);
        IssuedCertificate server = ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()));

        Result result = verify(
                write("foreign.pem", foreign.certificatePem()),
                write("server.pem", server.certificatePem()),
                "sslserver");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("unable to get local issuer certificate");
    }

    @Test
    void opensslVerifiesAgainstABundleHoldingOurCa() throws IOException {
        CertificateAuthority foreign = ClusterMeshCertificates.generateCa(clock);
        IssuedCertificate server = ca.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()));
        String bundle = CaBundle.combine(foreign.certificatePem(), ca.certificatePem());

        Result result = verify(write("bundle.pem", bundle), write("server.pem", server.certificatePem()), "sslserver");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void opensslReadsOurPrivateKeyAndItMatchesTheCertificate() throws IOException {
        IssuedCertificate admin = ca.issue(ClusterMeshCertificates.admin("homelab"));
        Path key = write("admin.key", admin.privateKeyPem());
        Path cert = write("admin.pem", admin.certificatePem());

        Result keyPub = run(List.of(OPENSSL, "pkey", "-in", key.toString(), "-pubout"));
        Result certPub = run(List.of(OPENSSL, "x509", "-in", cert.toString(), "-noout", "-pubkey"));

        assertThat(keyPub.exitCode()).as(keyPub.stderr()).isZero();
        assertThat(keyPub.stdout()).isEqualTo(certPub.stdout());
        assertThat(admin.privateKeyPem()).startsWith(pemHeader("PRIVATE KEY"));
    }

    @Test
    void fingerprintAndSerialMatchOpenssl() throws IOException {
        IssuedCertificate admin = ca.issue(ClusterMeshCertificates.admin("homelab"));
        Path cert = write("admin.pem", admin.certificatePem());

        Result result =
                run(List.of(OPENSSL, "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256", "-serial"));
        CertificateInfo info = CertificateInfo.of(admin.certificate(), clock);

        assertThat(result.stdout()).containsIgnoringCase("Fingerprint=" + info.sha256Fingerprint());
        assertThat(result.stdout()).containsIgnoringCase("serial=" + info.serialHex());
    }

    @Test
    void chartStyleRsaCaLoadedFromPemIssuesCertsOpensslAccepts() throws IOException {
        // What the Helm method leaves in cilium-ca: an RSA 2048 CA with a PKCS#1 key (§3.5).
        Path caKey = dir.resolve("rsa-ca.key");
        Path caCert = dir.resolve("rsa-ca.pem");
        Result genrsa = run(List.of(OPENSSL, "genrsa", "-traditional", "-out", caKey.toString(), "2048"));
        assertThat(genrsa.exitCode()).as(genrsa.stderr()).isZero();
        Result req = run(List.of(
                OPENSSL,
                "req",
                "-x509",
                "-new",
                "-key",
                caKey.toString(),
                "-subj",
                "/CN=Cilium CA",
                "-days",
                "1095",
                "-out",
                caCert.toString()));
        assertThat(req.exitCode()).as(req.stderr()).isZero();
        assertThat(Files.readString(caKey)).startsWith(pemHeader("RSA PRIVATE KEY"));

        CertificateAuthority rsaCa =
                CertificateAuthority.load(Files.readString(caCert), Files.readString(caKey), clock);
        IssuedCertificate server = rsaCa.issue(ClusterMeshCertificates.server("kube-system", List.of(), List.of()));
        Result result = verify(caCert, write("server.pem", server.certificatePem()), "sslserver");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    }

    private Result verify(Path caFile, Path certFile, String purpose) {
        return run(List.of(OPENSSL, "verify", "-purpose", purpose, "-CAfile", caFile.toString(), certFile.toString()));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Built from parts so that no key-shaped header is committed as a literal. */
    private static String pemHeader(String label) {
        return "-----BEGIN " + label + "-----";
    }
}
