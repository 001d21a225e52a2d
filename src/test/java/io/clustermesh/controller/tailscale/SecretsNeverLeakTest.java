package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.clustermesh.controller.tailscale.support.ApiTestBed;
import io.clustermesh.controller.tailscale.support.FakeTailscaleApi.Reply;
import io.clustermesh.controller.tailscale.support.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives every logging and error path and checks no secret reaches a log line or an exception. */
class SecretsNeverLeakTest {
    // Opaque per §2, so only exact-match scrubbing can catch it (no "tskey-" prefix to spot).
    private static final String TOKEN = "opaqueAccessToken-LEAKCHECK-789";
    private final List<String> logged = new ArrayList<>();
    private final Logger packageLogger = Logger.getLogger("io.clustermesh.controller.tailscale");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getMessage() + " " + Arrays.toString(r.getParameters()) + " " + r.getThrown());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previous;
    private ApiTestBed bed;

    @BeforeEach
    void start() throws Exception {
        previous = packageLogger.getLevel();
        packageLogger.setLevel(Level.ALL);
        packageLogger.addHandler(capture);
        bed = new ApiTestBed();
    }

    @AfterEach
    void stop() {
        packageLogger.removeHandler(capture);
        packageLogger.setLevel(previous);
        bed.close();
    }

    @Test
    void noSecretAppearsInLogsOrErrors() {
        String echoesSecrets =
                "{\"message\":\"bad: " + ApiTestBed.API_KEY + " " + TOKEN + " " + ApiTestBed.CLIENT_SECRET + "\"}";
        bed.api.on("POST", "/oauth/token", Reply.json(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3600}"));
        bed.api.on(
                "GET",
                "/tailnet/-/devices",
                Reply.json(429, Fixtures.read("api-error-429.json")),
                Reply.json(503, echoesSecrets),
                Reply.json(401, echoesSecrets),
                Reply.json(401, echoesSecrets));
        List<Throwable> errors = new ArrayList<>();
        errors.add(catchThrowable(() -> bed.withOAuth().listDevices()));

        // An API-key client never saw the access token; the other tskey- secrets it must still hide.
        String echoesKeys = "{\"message\":\"bad: " + ApiTestBed.API_KEY + " " + ApiTestBed.CLIENT_SECRET + "\"}";
        bed.api.on("GET", "/device/nHmLb7ub11CNTRL/routes", Reply.json(403, echoesKeys));
        bed.api.on("GET", "/tailnet/-/devices", Reply.json(503, echoesKeys), Reply.json(401, echoesKeys));
        errors.add(catchThrowable(() -> bed.withApiKey().deviceRoutes("nHmLb7ub11CNTRL")));
        errors.add(catchThrowable(() -> bed.withApiKey().listDevices()));

        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(TailscaleApiException.class));
        assertThat(logged).as("the capture works").isNotEmpty();
        List<String> visible = new ArrayList<>(logged);
        errors.forEach(e -> visible.add(e.toString()));
        visible.add(new TailscaleCredential.ApiKey(ApiTestBed.API_KEY).toString());
        visible.add(new TailscaleCredential.OAuthClient(ApiTestBed.CLIENT_ID, ApiTestBed.CLIENT_SECRET).toString());
        visible.add(HttpRequestSpec.of("GET", bed.api.baseUrl())
                .withHeader("Authorization", "Bearer " + TOKEN)
                .toString());
        assertThat(visible)
                .allSatisfy(text -> assertThat(text)
                        .doesNotContain(ApiTestBed.API_KEY)
                        .doesNotContain(ApiTestBed.CLIENT_SECRET)
                        .doesNotContain(TOKEN));
    }
}
