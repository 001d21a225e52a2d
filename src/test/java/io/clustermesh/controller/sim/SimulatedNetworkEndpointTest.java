package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulated network's endpoint (a simulator extension a service in another process dials
 * through) answers from the simulation's live state and refuses what it does not know, with the
 * field at fault; nothing it is asked changes the simulation.
 */
class SimulatedNetworkEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SimulatedCluster homelab;
    private static String network;

    @BeforeAll
    static void start() throws Exception {
        homelab = SimulatedCluster.startIndexed(0);
        Path dir = Files.createTempDirectory("network-endpoint-");
        String kubeconfig = Files.readString(homelab.writeKubeconfig(dir));
        Matcher m = Pattern.compile("network: (\\S+)").matcher(kubeconfig);
        assertThat(m.find()).as(kubeconfig).isTrue();
        network = m.group(1);
    }

    @AfterAll
    static void stop() {
        homelab.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "GET | /dial?host=198.51.100.200&port=32379 | 200 | ",
                "GET | /dial?host=203.0.113.99&port=2379 | 200 | ",
                "GET | /dial?port=32379 | 400 | host",
                "GET | /dial?host=198.51.100.200 | 400 | port",
                "GET | /dial?host=198.51.100.200&port=0 | 400 | port",
                "GET | /dial?host=198.51.100.200&port=70000 | 400 | port",
                "GET | /dial?host=a%20b&port=1 | 400 | host",
                "GET | /dial?host=198.51.100.200&port=32379&from=x | 400 | from",
                "GET | /dial?host=198.51.100.200&host=1.2.3.4&port=32379 | 400 | host",
                "POST | /dial?host=198.51.100.200&port=32379 | 405 | ",
                "GET | /faults | 404 | ",
            })
    void answersWhatItKnowsAndRefusesTheRest(String method, String path, int status, String field) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(network + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        if (status != 200) {
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(body.path("type").asText()).startsWith("urn:clustermesh-controller:simulated-network:");
            if (field != null) {
                assertThat(body.path("field").asText()).isEqualTo(field);
            }
        }
        assertThat(homelab.faults()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aDialFollowsTheSimulationsFaults() throws Exception {
        // No ClusterMesh on homelab yet: its router forwards nothing, it refuses.
        assertThat(dial("198.51.100.200", 32379).path("result").asText()).isEqualTo("refused");
        assertThat(dial("203.0.113.99", 2379).path("routed").asBoolean()).isFalse();
        homelab.inject(SimulatedFault.BLACKHOLE);
        try {
            assertThat(dial("198.51.100.200", 32379).path("result").asText()).isEqualTo("timeout");
        } finally {
            homelab.heal();
        }
        assertThat(dial("198.51.100.200", 32379).path("result").asText()).isEqualTo("refused");
    }

    private static JsonNode dial(String host, int port) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(network + "/dial?host=" + host + "&port=" + port))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
