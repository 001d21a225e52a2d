package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Tailscale API v2 (§1–§4): devices and subnet routes. Thread-safe; plain constructor so it
 * works without CDI. Each method may block up to {@link ApiClientOptions#retryBudget()}.
 */
public final class TailscaleApiClient {
    public static final String DEFAULT_BASE_URL = "https://api.tailscale.com/api/v2";

    // §2 scope table: named in 403 errors so the operator knows what to grant.
    static final String SCOPE_DEVICES_READ = "devices:core:read";
    static final String SCOPE_ROUTES_READ = "devices:routes:read";
    static final String SCOPE_ROUTES_WRITE = "devices:routes";

    private final ApiClientOptions options;
    private final ApiTransport transport;
    private final Authorizer authorizer;

    public TailscaleApiClient(
            NettyHttpClient http, TailscaleCredential credential, ApiClientOptions options, Clock clock) {
        this.options = options;
        SecretRedactor redactor = new SecretRedactor();
        this.transport = new ApiTransport(http, options, clock, redactor);
        if (credential instanceof TailscaleCredential.ApiKey key) {
            redactor.addSecret(key.key());
            this.authorizer = Authorizer.apiKey(key);
        } else {
            TailscaleCredential.OAuthClient oauth = (TailscaleCredential.OAuthClient) credential;
            redactor.addSecret(oauth.clientSecret());
            this.authorizer = new OAuthTokenSource(oauth, transport, clock, options.tokenRefreshFraction(), redactor);
        }
    }

    /** Built from {@code mesh.tailscale.*}; fails when no credential is configured. */
    public static TailscaleApiClient fromConfig(TailscaleConfig config, NettyHttpClient http, Clock clock) {
        TailscaleCredential credential = TailscaleCredential.fromConfig(config)
                .orElseThrow(() -> ProblemException.invalid(
                        "mesh.tailscale",
                        "no Tailscale credential: set mesh.tailscale.api-key"
                                + " or mesh.tailscale.oauth-client-id and oauth-client-secret"));
        return new TailscaleApiClient(http, credential, ApiClientOptions.fromConfig(config), clock);
    }

    /** Every device of the tailnet with {@code fields=all} (routes and connectivity, §3). */
    public List<Device> listDevices() {
        JsonNode root = get("/tailnet/" + segment(options.tailnet()) + "/devices?fields=all", SCOPE_DEVICES_READ);
        return DeviceJson.devices(root);
    }

    /** {@code deviceId}: the {@code nodeId} (preferred) or the legacy numeric id (§1). */
    public Device device(String deviceId) {
        return DeviceJson.device(get("/device/" + segment(deviceId) + "?fields=all", SCOPE_DEVICES_READ));
    }

    public DeviceRoutes deviceRoutes(String deviceId) {
        return DeviceJson.routes(get("/device/" + segment(deviceId) + "/routes", SCOPE_ROUTES_READ));
    }

    /**
     * Replaces the enabled set with {@code routes} (§4: send the full desired set, not a delta).
     * Because it replaces, repeating it is harmless, so it is retried like a GET.
     */
    public DeviceRoutes setEnabledRoutes(String deviceId, List<String> routes) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        routes.forEach(body.putArray("routes")::add);
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ApiCall call = new ApiCall(
                "POST",
                "/device/" + segment(deviceId) + "/routes",
                bytes,
                "application/json",
                SCOPE_ROUTES_WRITE,
                true);
        return DeviceJson.routes(parse(call, transport.execute(call, authorizer)));
    }

    private JsonNode get(String path, String scope) {
        ApiCall call = ApiCall.get(path, scope);
        return parse(call, transport.execute(call, authorizer));
    }

    private static JsonNode parse(ApiCall call, HttpResponse response) {
        try {
            JsonNode root = Json.parse(response.body());
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new TailscaleApiException(
                    ProblemType.INTERNAL,
                    response.status(),
                    "Tailscale API " + call + " answered with a body that is not a JSON object");
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
