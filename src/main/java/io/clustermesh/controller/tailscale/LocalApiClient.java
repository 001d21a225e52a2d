package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * tailscaled's LocalAPI over its Unix socket (§7–§10). Reads need no credential beyond access
 * to the socket. The LocalAPI is not a stable interface; the shapes we rely on are pinned by
 * the fixtures in tests.
 */
public final class LocalApiClient {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/tailscale/tailscaled.sock");
    /** The CLI waits 5 s per ping (§9); tailscaled itself never times a ping out. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(5);
    // §7: tailscaled rejects other Host values (and any Origin/Referer) with 403.
    static final String HOST = "local-tailscaled.sock";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final NettyHttpClient http;
    private final Path socket;
    private final Duration requestTimeout;

    public LocalApiClient(NettyHttpClient http, Path socket, Duration requestTimeout) {
        this.http = http;
        this.socket = socket;
        this.requestTimeout = requestTimeout;
    }

    public static LocalApiClient fromConfig(TailscaleConfig config, NettyHttpClient http) {
        return new LocalApiClient(http, Path.of(config.localapiSocket()), config.requestTimeout());
    }

    public LocalStatus status() {
        return LocalApiJson.status(call("GET", "/localapi/v0/status", requestTimeout));
    }

    /** Only this node ({@code ?peers=false}, §8): cheap on large tailnets; {@code peers()} is empty. */
    public LocalStatus selfStatus() {
        return LocalApiJson.status(call("GET", "/localapi/v0/status?peers=false", requestTimeout));
    }

    public PingResult ping(String ip, PingType type) {
        return ping(ip, type, DEFAULT_PING_TIMEOUT);
    }

    /**
     * One ping (§9). A failed ping ({@code Err}, e.g. no matching peer) is a result, not an
     * exception; only transport errors, HTTP errors and the deadline throw.
     */
    public PingResult ping(String ip, PingType type, Duration timeout) {
        // §9: ip must be an IP literal; checking here keeps a host name from reaching the query.
        if (!IPV4.matcher(ip).matches() && !IPV6.matcher(ip).matches()) {
            throw ProblemException.invalid("ip", "not an IP address: " + ip);
        }
        String normalized;
        try {
            // Safe: only literals get here, and getByName does no DNS lookup for literals.
            normalized = InetAddress.getByName(ip).getHostAddress();
        } catch (IOException e) {
            throw ProblemException.invalid("ip", "not an IP address: " + ip);
        }
        return LocalApiJson.ping(call("POST", "/localapi/v0/ping?ip=" + normalized + "&type=" + type.wire(), timeout));
    }

    /**
     * §10: the first pings after idle often go via DERP while hole punching runs, so ping up to
     * {@code maxPings} times, {@code interval} apart, and stop at the first direct pong. Returns
     * that pong, or the last answer when none was direct.
     */
    public PingResult probePath(String ip, int maxPings, Duration interval) {
        PingResult last = null;
        for (int i = 0; i < maxPings; i++) {
            last = ping(ip, PingType.DISCO);
            // A failed ping (no matching peer, our own IP) will not change by repeating it.
            if (!last.succeeded() || last.path() instanceof PeerPath.Direct) {
                return last;
            }
            if (i + 1 < maxPings) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return last;
                }
            }
        }
        return last;
    }

    private JsonNode call(String method, String pathAndQuery, Duration timeout) {
        HttpRequestSpec request =
                HttpRequestSpec.unixSocket(socket, method, pathAndQuery).withHeader("Host", HOST);
        HttpResponse response;
        try {
            response = http.send(request, timeout);
        } catch (HttpTimeoutException e) {
            throw new LocalApiException(
                    ProblemType.TAILSCALE_UNAVAILABLE,
                    0,
                    "tailscaled " + request + " did not answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new LocalApiException(
                    ProblemType.TAILSCALE_UNAVAILABLE,
                    0,
                    "cannot reach tailscaled at " + socket
                            + " (is tailscaled running, and is the socket mounted and readable?): " + e.getMessage());
        } catch (IOException e) {
            throw new LocalApiException(
                    ProblemType.TAILSCALE_UNAVAILABLE, 0, "tailscaled " + request + " failed: " + e.getMessage());
        }
        if (!response.isSuccess()) {
            int status = response.status();
            ProblemType type = status == 403 ? ProblemType.TAILSCALE_UNAUTHORIZED : ProblemType.TAILSCALE_UNAVAILABLE;
            throw new LocalApiException(
                    type,
                    status,
                    "tailscaled " + request + " failed (" + status + ": " + LocalApiJson.error(response) + ")");
        }
        try {
            return Json.parse(response.body());
        } catch (IOException e) {
            throw new LocalApiException(
                    ProblemType.TAILSCALE_UNAVAILABLE,
                    response.status(),
                    "tailscaled " + request + " answered with malformed JSON");
        }
    }
}
