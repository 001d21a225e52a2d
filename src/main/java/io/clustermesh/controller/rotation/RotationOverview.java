package io.clustermesh.controller.rotation;

import io.clustermesh.controller.certificates.CertificateService;
import io.clustermesh.controller.health.spi.Expiry;
import io.clustermesh.controller.wireguard.WireGuardRotationService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * For health: every managed cluster's node key ages and certificate expiries in one call (each
 * source fans out with the per-cluster deadline; an unreachable cluster is simply absent).
 */
@ApplicationScoped
public class RotationOverview {

    public record Overview(List<WireGuardRotationService.NodeKeyAge> wireguardKeys, List<Expiry> certificates) {}

    private final WireGuardRotationService wireGuard;
    private final CertificateService certificates;

    public RotationOverview(WireGuardRotationService wireGuard, CertificateService certificates) {
        this.wireGuard = wireGuard;
        this.certificates = certificates;
    }

    public Overview overview() {
        return new Overview(wireGuard.keyAges(), certificates.expiries());
    }
}
