package io.clustermesh.controller.tailscale.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * tailscaled's LocalAPI on a real Unix domain socket: minimal HTTP/1.1, one request per
 * connection. Like tailscaled (contract §7) it answers 403 to a foreign Host header.
 */
public final class FakeLocalApi implements AutoCloseable {

    /** {@code hang}: never answer, like a ping to a peer that never pongs (§9). */
    public record Reply(int status, String contentType, String body, boolean hang) {
        public static Reply json(String body) {
            return new Reply(200, "application/json", body, false);
        }

        public static Reply hangs() {
            return new Reply(0, "", "", true);
        }
    }

    public record Request(String method, String target, Map<String, String> headers) {}

    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-localapi");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeLocalApi(Path socket) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        executor.submit(this::acceptLoop);
    }

    public Path socket() {
        return socket;
    }

    /** {@code path} without query; replies in order, the last one repeats. */
    public FakeLocalApi on(String method, String path, Reply... replies) {
        routes.put(method + " " + path, new ArrayDeque<>(List.of(replies)));
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                executor.submit(() -> serve(ch));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch;
                InputStream in = Channels.newInputStream(ch);
                OutputStream out = Channels.newOutputStream(ch)) {
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(),
                        lines[i].substring(colon + 1).trim());
            }
            in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            requests.add(new Request(requestLine[0], requestLine[1], headers));
            Reply reply = replyFor(requestLine[0], requestLine[1], headers);
            if (reply.hang()) {
                in.read(); // returns when the client gives up and closes
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            String response =
                    "HTTP/1.1 " + reply.status() + " X\r\nContent-Type: " + reply.contentType() + "\r\nContent-Length: "
                            + body.length + "\r\nTailscale-Version: 1.86.2-fake\r\nConnection: close\r\n\r\n";
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // client went away; nothing to do in a fake
        }
    }

    private Reply replyFor(String method, String target, Map<String, String> headers) {
        String host = headers.getOrDefault("host", "");
        if (!(host.isEmpty() || host.equals("local-tailscaled.sock"))
                || headers.containsKey("origin")
                || headers.containsKey("referer")) {
            return new Reply(403, "text/plain; charset=utf-8", "invalid localapi request\n", false);
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        Deque<Reply> script = routes.get(method + " " + path);
        if (script == null) {
            return new Reply(404, "text/plain; charset=utf-8", "404 page not found\n", false);
        }
        synchronized (script) {
            return script.size() > 1 ? script.removeFirst() : script.getFirst();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            buf.write(b);
            byte[] a = buf.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return new String(a, 0, n - 4, StandardCharsets.US_ASCII);
            }
        }
        throw new IOException("connection closed before request head");
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
