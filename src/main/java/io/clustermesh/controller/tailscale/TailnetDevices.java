package io.clustermesh.controller.tailscale;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The tailnet's devices from API v2, read at most once a minute (tailscale.md §1: rate limits are
 * undocumented, poll devices no faster than every 30-60 s). Nothing without a credential.
 */
@ApplicationScoped
public class TailnetDevices {
    private static final Logger LOG = Logger.getLogger(TailnetDevices.class);
    static final Duration REUSE = Duration.ofSeconds(60);

    private final TailscaleApiClient api;
    private final NettyHttpClient http;
    private final Clock clock;
    private volatile Reading last;

    private record Reading(List<Device> devices, Instant at) {}

    @Inject
    public TailnetDevices(TailscaleConfig config, Clock clock) {
        boolean hasCredential = TailscaleCredential.fromConfig(config).isPresent();
        this.clock = clock;
        this.http = hasCredential ? new NettyHttpClient(trust(config)) : null;
        this.api = hasCredential ? TailscaleApiClient.fromConfig(config, http, clock) : null;
    }

    /** For tests and for the check mode: a client of the caller's, or none. */
    public TailnetDevices(TailscaleApiClient api, Clock clock) {
        this.api = api;
        this.http = null;
        this.clock = clock;
    }

    /** No credential: no tailnet facts. */
    public static TailnetDevices none(Clock clock) {
        return new TailnetDevices((TailscaleApiClient) null, clock);
    }

    private static HttpsTrust trust(TailscaleConfig config) {
        if (config.apiCaFile().isEmpty()) {
            return HttpsTrust.systemDefault();
        }
        try {
            return HttpsTrust.pem(Files.readString(Path.of(config.apiCaFile().get())));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "mesh.tailscale.api-ca-file: cannot read "
                            + config.apiCaFile().get(),
                    e);
        }
    }

    /** Empty without a credential, or when the API cannot be read and nothing was read before. */
    public Optional<List<Device>> devices() {
        if (api == null) {
            return Optional.empty();
        }
        Reading previous = last;
        Instant now = clock.instant();
        if (previous != null && previous.at().plus(REUSE).isAfter(now)) {
            return Optional.of(previous.devices());
        }
        try {
            Reading reading = new Reading(api.listDevices(), now);
            last = reading;
            return Optional.of(reading.devices());
        } catch (RuntimeException e) {
            LOG.warnf("Tailscale API: cannot list the tailnet's devices: %s", e.getMessage());
            return previous == null ? Optional.empty() : Optional.of(previous.devices());
        }
    }

    /** Which of {@code targets} the tailnet carries, when the devices can be read. */
    public Optional<RouteCoverage> coverage(List<RouteCoverage.Target> targets) {
        return devices().map(d -> RouteCoverage.of(d, targets));
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
    }
}
