package io.clustermesh.controller.reachability;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.tailscale.Device;
import io.clustermesh.controller.tailscale.HttpsTrust;
import io.clustermesh.controller.tailscale.LocalApiClient;
import io.clustermesh.controller.tailscale.NettyHttpClient;
import io.clustermesh.controller.tailscale.PeerPath;
import io.clustermesh.controller.tailscale.PingResult;
import io.clustermesh.controller.tailscale.TailscaleApiClient;
import io.clustermesh.controller.tailscale.TailscaleConfig;
import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.Service;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Tailscale side of a probe (contract §3, §9, §10): the tailnet address of a Service the
 * operator exposes, the device behind it (online, last seen, key expiry, hard NAT) from API v2,
 * and the path to it (direct or {@code derp:REGION}) from the LocalAPI of the tailscaled next to
 * this service. Each half is skipped, and says so, when it is not configured.
 */
@ApplicationScoped
public class TailscaleProbe {
    private static final Duration KEY_EXPIRY_WARNING = Duration.ofDays(7);

    /**
     * @param path {@code direct}, {@code derp:REGION}, {@code peer-relay}, or null when unknown
     * @param failure {@code device-offline} or {@code key-expired} when the device explains a failure
     */
    public record Verdict(String path, ProbeVerdict failure, String detail, List<ReachabilityEntry.Check> checks) {}

    private final TailscaleApiClient api;
    private final LocalApiClient local;
    private final Clock clock;
    private final int pings;
    private final NettyHttpClient ownHttp;

    @Inject
    TailscaleProbe(TailscaleConfig config, ReachabilityConfig reachability, Clock clock) {
        boolean hasCredential = config.apiKey().filter(k -> !k.isBlank()).isPresent()
                || config.oauthClientId().filter(k -> !k.isBlank()).isPresent();
        boolean hasSocket = Files.exists(Path.of(config.localapiSocket()));
        this.ownHttp = hasCredential || hasSocket ? new NettyHttpClient(HttpsTrust.systemDefault()) : null;
        this.api = hasCredential ? TailscaleApiClient.fromConfig(config, ownHttp, clock) : null;
        this.local = hasSocket ? LocalApiClient.fromConfig(config, ownHttp) : null;
        this.clock = clock;
        this.pings = reachability.tailscalePings();
    }

    /** For tests: either client may be null (not configured). */
    TailscaleProbe(TailscaleApiClient api, LocalApiClient local, Clock clock, int pings) {
        this.api = api;
        this.local = local;
        this.clock = clock;
        this.pings = pings;
        this.ownHttp = null;
    }

    void stop(@Observes ShutdownEvent event) {
        if (ownHttp != null) {
            ownHttp.close();
        }
    }

    /** The tailnet IP others dial: from the Service status, else the device named like the Service (annotation form). */
    public Optional<String> tailnetAddress(Service service) {
        Optional<String> fromStatus = TailscaleExposure.tailnetIp(service);
        if (fromStatus.isPresent() || api == null || !TailscaleExposure.isExposed(service)) {
            return fromStatus;
        }
        String hostname = TailscaleExposure.hostname(service);
        try {
            return api.listDevices().stream()
                    .filter(d -> hostname.equals(d.hostname()))
                    .flatMap(d -> d.addresses().stream())
                    .filter(a -> a.indexOf(':') < 0)
                    .findFirst();
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    public Verdict check(String ip) {
        List<ReachabilityEntry.Check> checks = new ArrayList<>();
        ProbeVerdict failure = null;
        String detail = null;
        if (api == null) {
            checks.add(new ReachabilityEntry.Check(
                    "tailscale-device", "skipped", null, "no Tailscale API credential configured (mesh.tailscale.*)"));
        } else {
            try {
                Optional<Device> device = api.listDevices().stream()
                        .filter(d -> d.addresses().contains(ip))
                        .findFirst();
                if (device.isEmpty()) {
                    checks.add(new ReachabilityEntry.Check(
                            "tailscale-device", "failed", null, "no device of the tailnet has address " + ip));
                } else {
                    Device d = device.get();
                    if (d.expires() != null
                            && !d.keyExpiryDisabled()
                            && d.expires().isBefore(clock.instant())) {
                        failure = ProbeVerdict.KEY_EXPIRED;
                        detail = "node key of " + d.name() + " expired at " + d.expires();
                        checks.add(new ReachabilityEntry.Check("tailscale-device", "key-expired", null, detail));
                    } else if (!d.online()) {
                        failure = ProbeVerdict.DEVICE_OFFLINE;
                        detail = d.name() + " is offline" + (d.lastSeen() == null ? "" : ", last seen " + d.lastSeen());
                        checks.add(new ReachabilityEntry.Check("tailscale-device", "device-offline", null, detail));
                    } else {
                        StringBuilder note = new StringBuilder(d.name()).append(" online");
                        if (d.keyExpiresWithin(KEY_EXPIRY_WARNING, clock)) {
                            note.append(", node key expires ").append(d.expires());
                        }
                        if (d.hardNat()) {
                            note.append(
                                    ", behind hard NAT (mapping varies by destination: expect DERP unless the other side is open)");
                        }
                        checks.add(new ReachabilityEntry.Check("tailscale-device", "ok", null, note.toString()));
                    }
                }
            } catch (ProblemException e) {
                checks.add(new ReachabilityEntry.Check(
                        "tailscale-device", "failed", null, "Tailscale API: " + e.getMessage()));
            }
        }
        String path = null;
        if (local == null) {
            checks.add(new ReachabilityEntry.Check(
                    "tailscale-path", "skipped", null, "no tailscaled LocalAPI socket next to this service"));
        } else {
            try {
                PingResult pong = local.probePath(ip, pings, Duration.ofSeconds(1));
                PeerPath peerPath = pong.path();
                if (peerPath instanceof PeerPath.Direct direct) {
                    path = "direct";
                    checks.add(new ReachabilityEntry.Check(
                            "tailscale-path",
                            "ok",
                            EndpointProbe.millis(pong.latency().toNanos()),
                            "direct via " + direct.endpoint()));
                } else if (peerPath instanceof PeerPath.Derp derp) {
                    path = "derp:" + derp.regionCode();
                    checks.add(new ReachabilityEntry.Check(
                            "tailscale-path",
                            "ok",
                            EndpointProbe.millis(pong.latency().toNanos()),
                            "relayed through DERP " + derp.regionCode() + " after " + pings + " pings"));
                } else if (peerPath instanceof PeerPath.PeerRelay relay) {
                    path = "peer-relay";
                    checks.add(new ReachabilityEntry.Check(
                            "tailscale-path",
                            "ok",
                            EndpointProbe.millis(pong.latency().toNanos()),
                            "peer relay " + relay.relay()));
                } else {
                    checks.add(new ReachabilityEntry.Check(
                            "tailscale-path", "failed", null, ((PeerPath.Unknown) peerPath).reason()));
                    if (failure == null) {
                        detail = "tailscale ping " + ip + ": " + ((PeerPath.Unknown) peerPath).reason();
                    }
                }
            } catch (ProblemException e) {
                checks.add(
                        new ReachabilityEntry.Check("tailscale-path", "failed", null, "LocalAPI: " + e.getMessage()));
            }
        }
        return new Verdict(path, failure, detail, checks);
    }
}
