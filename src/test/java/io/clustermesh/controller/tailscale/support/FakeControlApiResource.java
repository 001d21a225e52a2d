package io.clustermesh.controller.tailscale.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fake Tailscale control API (API v2 over HTTPS with a throw-away certificate) for a
 * {@code @QuarkusTest}: the tailnet of the simulated homelab and cloud. homelab's subnet router
 * advertises 192.168.1.0/24 and it is approved; cloud's advertises 172.31.2.0/24, not approved yet.
 */
public class FakeControlApiResource implements QuarkusTestResourceLifecycleManager {
    private FakeTailscaleApi api;
    private Path caFile;

    @Override
    public Map<String, String> start() {
        try {
            SelfSignedCertificate cert = new SelfSignedCertificate();
            api = new FakeTailscaleApi(cert);
            caFile = Files.createTempFile("fake-tailscale-api-", ".pem");
            Files.writeString(caFile, cert.certificatePem());
            api.on("GET", "/tailnet/-/devices", FakeTailscaleApi.Reply.json(200, """
                    {"devices": [%s, %s]}""".formatted(
                            router(
                                    "7364150219864521",
                                    "nHmLb7ub11CNTRL",
                                    "homelab-subnet",
                                    "100.101.7.12",
                                    "[\"192.168.1.0/24\"]",
                                    "[\"192.168.1.0/24\"]"),
                            router(
                                    "7364150219864577",
                                    "nCdSb9rt31CNTRL",
                                    "cloud-subnet",
                                    "100.101.7.40",
                                    "[\"172.31.2.0/24\"]",
                                    "[]"))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake Tailscale API", e);
        }
        return Map.of(
                "mesh.tailscale.api-base-url",
                api.baseUrl().toString(),
                "mesh.tailscale.api-key",
                ApiTestBed.API_KEY,
                "mesh.tailscale.api-ca-file",
                caFile.toString());
    }

    private static String router(
            String id, String nodeId, String hostname, String ip, String advertised, String enabled) {
        return """
                {"id": "%s", "nodeId": "%s", "name": "%s.tail4e2a9.ts.net", "hostname": "%s", "addresses": ["%s"],
                 "tags": ["tag:k8s"], "os": "linux", "clientVersion": "1.86.2", "connectedToControl": true,
                 "expires": "0001-01-01T00:00:00Z", "keyExpiryDisabled": true, "authorized": true,
                 "advertisedRoutes": %s, "enabledRoutes": %s}""".formatted(id, nodeId, hostname, hostname, ip, advertised, enabled);
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
        try {
            if (caFile != null) {
                Files.deleteIfExists(caFile);
            }
        } catch (java.io.IOException e) {
            // a temp file left behind
        }
    }
}
