package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The service's REST API as the CLI uses it. The token only ever goes into the Authorization
 * header; no message this class builds contains it (docs/cli.md, "Token").
 */
final class ServiceClient {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** One answer: its status and JSON body (null when there was none). */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI server;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServiceClient(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    URI server() {
        return server;
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    /** Sends and maps transport failures and refusals of the token to a {@link CliFailure}; other answers are returned. */
    Reply send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? null : parse(response.body());
            Reply reply = new Reply(response.statusCode(), json);
            if (reply.status() == 401 || reply.status() == 403) {
                throw new CliFailure(CliFailure.SERVICE, refusal(reply));
            }
            return reply;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliFailure(
                    CliFailure.SERVICE,
                    "cannot reach the service at " + server + ": is it running? (--server or MESH_SERVER)");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(
                    CliFailure.SERVICE,
                    "the service at " + server + " did not answer " + method + " " + path + " within "
                            + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (IOException e) {
            throw new CliFailure(
                    CliFailure.SERVICE,
                    "talking to " + server + " failed: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            // The header builder refuses control characters; its message would quote the header, i.e. the token.
            throw new CliFailure(
                    CliFailure.SERVICE,
                    "the token contains characters an HTTP header cannot carry (a stray newline in the token file?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(CliFailure.SERVICE, "interrupted");
        }
    }

    /** Throws the service's own reason when {@code reply} is not a success. */
    static Reply expectOk(Reply reply) {
        if (!reply.ok()) {
            throw new CliFailure(CliFailure.FAILED, problem(reply));
        }
        return reply;
    }

    /** A problem document as one line: {@code 409 operation-in-progress: detail (field x)}. */
    static String problem(Reply reply) {
        JsonNode body = reply.body();
        if (body == null || !body.has("type")) {
            return "HTTP " + reply.status();
        }
        String type = body.path("type").asText();
        String slug = type.substring(type.lastIndexOf('/') + 1);
        String field = body.path("field").asText(null);
        return reply.status() + " " + slug + ": "
                + body.path("detail").asText(body.path("title").asText())
                + (field == null ? "" : " (field " + field + ")");
    }

    private String refusal(Reply reply) {
        if (reply.status() == 403) {
            return "the token may not do this: " + problem(reply);
        }
        return token == null
                ? "no token given: use --token-file FILE, the MESH_TOKEN environment variable or --token ("
                        + problem(reply) + ")"
                : "the service refused the token (" + problem(reply) + "); check --token-file, MESH_TOKEN or --token";
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
