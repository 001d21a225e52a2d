package io.clustermesh.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CertificateInfoTest {
    private static final Instant ISSUED = Instant.parse("2026-01-10T08:00:00Z");
    private final CertificateAuthority ca = ClusterMeshCertificates.generateCa(Clock.fixed(ISSUED, ZoneOffset.UTC));
    private final IssuedCertificate remote = ca.issue(ClusterMeshCertificates.client("remote", Duration.ofDays(30)));

    @Test
    void daysLeftCountsWholeDaysUntilNotAfter() {
        CertificateInfo info = CertificateInfo.of(remote.certificate(), at(ISSUED));

        assertThat(info.notAfter()).isEqualTo(Instant.parse("2026-02-09T08:00:00Z"));
        assertThat(info.daysLeft(at(ISSUED))).isEqualTo(30);
        assertThat(info.daysLeft(at(Instant.parse("2026-02-08T08:00:01Z")))).isZero();
        assertThat(info.daysLeft(at(Instant.parse("2026-02-08T08:00:00Z")))).isEqualTo(1);
        assertThat(info.daysLeft(at(Instant.parse("2026-02-09T08:00:00Z")))).isZero();
    }

    @Test
    void daysLeftIsNegativeOnceExpired() {
        CertificateInfo info = CertificateInfo.of(remote.certificate(), at(ISSUED));

        assertThat(info.isExpired(at(Instant.parse("2026-02-09T08:00:01Z")))).isTrue();
        assertThat(info.daysLeft(at(Instant.parse("2026-02-09T08:00:01Z")))).isEqualTo(-1);
        assertThat(info.daysLeft(at(Instant.parse("2026-02-12T09:00:00Z")))).isEqualTo(-4);
    }

    @Test
    void daysLeftWithoutClockRefersToObservationTime() {
        CertificateInfo info = CertificateInfo.of(remote.certificate(), at(Instant.parse("2026-02-01T08:00:00Z")));

        assertThat(info.observedAt()).isEqualTo(Instant.parse("2026-02-01T08:00:00Z"));
        assertThat(info.daysLeft()).isEqualTo(8);
    }

    @Test
    void infoDescribesAClientCert() {
        CertificateInfo info = CertificateInfo.of(remote.certificate(), at(ISSUED));

        assertThat(info.commonName()).isEqualTo("remote");
        assertThat(info.issuer()).isEqualTo("CN=Cilium CA");
        assertThat(info.isCa()).isFalse();
        assertThat(info.dnsNames()).isEmpty();
        assertThat(info.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(info.subjectKeyId()).hasSize(40);
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
