package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.tailscale.support.FakeTailscaleApi;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Reply;
import io.clustermesh.controller.tailscale.support.SelfSignedCertificate;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyHttpClientTest {
    private SelfSignedCertificate cert;
    private FakeTailscaleApi server;

    @BeforeEach
    void start() throws Exception {
        cert = new SelfSignedCertificate();
        server = new FakeTailscaleApi(cert);
        server.on("GET", "/ping", Reply.json(200, "{\"ok\":true}").withHeader("X-Extra", "yes"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void returnsStatusHeadersAndBodyFromATrustedServer() throws Exception {
        try (NettyHttpClient http = new NettyHttpClient(HttpsTrust.pem(cert.certificatePem()))) {
            HttpResponse response =
                    http.send(HttpRequestSpec.of("GET", URI.create(server.baseUrl() + "/ping")), Duration.ofSeconds(2));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Extra")).contains("yes");
            assertThat(response.bodyText()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void refusesAServerItDoesNotTrust() {
        try (NettyHttpClient http = new NettyHttpClient(HttpsTrust.systemDefault())) {
            assertThatThrownBy(() -> http.send(
                            HttpRequestSpec.of("GET", URI.create(server.baseUrl() + "/ping")), Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS handshake failed");
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesATrustedCertificateIssuedForAnotherHost() throws Exception {
        SelfSignedCertificate other = new SelfSignedCertificate("CN=elsewhere", "elsewhere.example");
        try (FakeTailscaleApi wrongName = new FakeTailscaleApi(other);
                NettyHttpClient http = new NettyHttpClient(HttpsTrust.pem(other.certificatePem()))) {
            wrongName.on("GET", "/ping", Reply.json(200, "{}"));
            assertThatThrownBy(() -> http.send(
                            HttpRequestSpec.of("GET", URI.create(wrongName.baseUrl() + "/ping")),
                            Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("127.0.0.1");
            assertThat(wrongName.requests()).isEmpty();
        }
    }
}
