package io.clustermesh.controller.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod exec as the Kubernetes API server speaks it (the channel.k8s.io WebSocket protocol): each
 * binary frame starts with its channel, 1 stdout, 2 stderr, 3 the final Status that carries the
 * exit code. The fabric8 CRUD mock has no exec, and the rotation needs it (contract §10).
 */
final class SimulatedExec {
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;

    /** What a command printed and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        static Result ok(String stdout) {
            return new Result(0, stdout, "");
        }

        static Result failed(int exitCode, String stderr) {
            return new Result(exitCode, "", stderr);
        }
    }

    /** Runs a command "in" a container; null when the pod does not exist (404). */
    @FunctionalInterface
    interface Handler {
        Result run(String pod, String container, List<String> command);
    }

    private SimulatedExec() {}

    static MockResponse respond(Handler handler, String pod, String query) {
        List<String> command = new ArrayList<>();
        String container = null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals("command")) {
                command.add(value);
            } else if (key.equals("container")) {
                container = value;
            }
        }
        Result result = handler.run(pod, container, command);
        if (result == null) {
            return new MockResponse()
                    .setResponseCode(404)
                    .setBody(
                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
        return new MockResponse()
                .setResponseCode(101)
                .setHeader("Sec-WebSocket-Protocol", "v4.channel.k8s.io")
                .withWebSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket socket, Response response) {
                        send(socket, STDOUT, result.stdout());
                        send(socket, STDERR, result.stderr());
                        send(socket, ERROR, status(result.exitCode()));
                        socket.close(1000, "");
                    }
                });
    }

    private static void send(WebSocket socket, byte channel, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[body.length + 1];
        frame[0] = channel;
        System.arraycopy(body, 0, frame, 1, body.length);
        socket.send(frame);
    }

    private static String status(int exitCode) {
        if (exitCode == 0) {
            return "{\"metadata\":{},\"status\":\"Success\"}";
        }
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\","
                + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                + exitCode + "\"}]}}";
    }
}
