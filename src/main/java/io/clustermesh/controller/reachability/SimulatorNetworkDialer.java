package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A simulated cluster whose simulation runs in another process (the benchmark): its endpoint is
 * dialled by asking that simulator's network endpoint (a simulator extension its kubeconfig names)
 * what the dial meets. When the simulator cannot be asked, the answer is "unknown from here",
 * never a verdict about the endpoint.
 */
final class SimulatorNetworkDialer implements EndpointDialer.Simulated {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String network;

    SimulatorNetworkDialer(String network) {
        this.network = network;
    }

    @Override
    public Measured dial(ProbeTarget target, Duration timeout) {
        HostPort endpoint = target.endpoint();
        URI uri;
        try {
            uri = URI.create(network + "/dial?host=" + URLEncoder.encode(endpoint.host(), StandardCharsets.UTF_8)
                    + "&port=" + endpoint.port());
        } catch (IllegalArgumentException e) {
            return cannotAsk(target, "its kubeconfig names no usable simulated network");
        }
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return cannotAsk(target, "the simulator's network answered HTTP " + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            Optional<SimulatedNetworkOracle.Dial> dial = body.path("routed").asBoolean(false)
                    ? Optional.of(new SimulatedNetworkOracle.Dial(
                            body.path("result").asText(),
                            body.path("servedClusterName").isTextual()
                                    ? body.path("servedClusterName").asText()
                                    : null,
                            body.path("servedClusterId").isInt()
                                    ? body.path("servedClusterId").asInt()
                                    : null,
                            body.path("latencyMs").asDouble(),
                            body.path("detail").asText()))
                    : Optional.empty();
            return Measured.simulated(target, dial);
        } catch (IOException e) {
            return cannotAsk(
                    target,
                    "the simulator's network does not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cannotAsk(target, "interrupted");
        }
    }

    private static Measured cannotAsk(ProbeTarget target, String why) {
        return Measured.unknownFromHere(
                "simulated",
                true,
                target.cluster() + " is simulated and this service cannot ask the simulation: " + why);
    }
}
