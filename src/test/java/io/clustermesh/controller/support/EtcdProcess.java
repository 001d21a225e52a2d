package io.clustermesh.controller.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real etcd 3.4 ({@code /usr/bin/etcd}) on random loopback ports, serving TLS with client
 * certificate auth like the {@code etcd} container of clustermesh-apiserver (contract §3.1).
 * Without {@code --auth} enabled, etcd only asks for a client cert signed by the trusted CA; etcd
 * users and roles (§3.6) are not modelled. Closing it stops the process by its pid and deletes its
 * temp dir.
 */
public final class EtcdProcess implements AutoCloseable {
    public static final String ETCD = "/usr/bin/etcd";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http;
    /** Stops etcd if the test JVM exits without {@link #close()} (a killed or crashed run). */
    private final Thread reaper;

    private EtcdProcess(Process process, Path dir, int port, HttpClient http) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.http = http;
        this.reaper = new Thread(process::destroyForcibly, "etcd-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Starts etcd and waits until it answers a TLS request made with {@code client}.
     *
     * @param trustedCaPem the CA(s) client certs must chain to ({@code --trusted-ca-file})
     * @param server the serving cert; its SANs must cover {@code 127.0.0.1}
     * @param client a client cert used by {@link #put}
     */
    public static EtcdProcess start(String trustedCaPem, IssuedCertificate server, IssuedCertificate client) {
        ExternalCommand.requireBinary(ETCD, "etcd-server");
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(trustedCaPem, server, client);
            } catch (IllegalStateException e) {
                last = e;
                // Only a port taken between choosing it and etcd binding it is worth another try.
                if (!String.valueOf(e.getMessage()).contains("address already in use")) {
                    break;
                }
            }
        }
        throw last;
    }

    private static EtcdProcess startOnce(String trustedCaPem, IssuedCertificate server, IssuedCertificate client) {
        HttpClient http = httpClient(trustedCaPem, client);
        Path dir;
        Process process;
        int clientPort;
        try {
            dir = Files.createTempDirectory("etcd-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for etcd", e);
        }
        try {
            Path ca = write(dir, "ca.crt", trustedCaPem);
            Path cert = write(dir, "tls.crt", server.certificatePem());
            Path key = write(dir, "tls.key", server.privateKeyPem());
            clientPort = freeLoopbackPort();
            String clientUrl = "https://127.0.0.1:" + clientPort;
            String peerUrl = "http://127.0.0.1:" + freeLoopbackPort();
            process = new ProcessBuilder(
                            ETCD,
                            "--name=test",
                            "--data-dir=" + dir.resolve("data"),
                            "--listen-client-urls=" + clientUrl,
                            "--advertise-client-urls=" + clientUrl,
                            "--listen-peer-urls=" + peerUrl,
                            "--initial-advertise-peer-urls=" + peerUrl,
                            "--initial-cluster=test=" + peerUrl,
                            "--client-cert-auth",
                            "--trusted-ca-file=" + ca,
                            "--cert-file=" + cert,
                            "--key-file=" + key)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
        } catch (IOException e) {
            deleteRecursively(dir);
            throw failedStart(e, "");
        }
        EtcdProcess etcd = new EtcdProcess(process, dir, clientPort, http);
        try {
            etcd.awaitReady();
            return etcd;
        } catch (RuntimeException e) {
            String log = etcd.log();
            etcd.close();
            throw failedStart(e, log);
        }
    }

    private static IllegalStateException failedStart(Exception cause, String log) {
        String tail = log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        return new IllegalStateException(
                "etcd did not start: " + cause.getMessage() + "\n--- etcd log ---\n" + tail, cause);
    }

    public int port() {
        return port;
    }

    public String clientUrl() {
        return "https://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Writes a key through etcd's v3 JSON gateway, as the admin client (contract §9). */
    public void put(String key, String value) {
        String body = "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}";
        HttpResponse<String> response = post("/v3/kv/put", body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "etcd put " + key + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Turns on etcd auth the way Cilium's {@code etcdinit} does (contract §3.6): users named after
     * cert CNs, no passwords; {@code root} and {@code admin-<cluster>} with role root; {@code remote}
     * may read {@code cilium/.heartbeat}, {@code cilium/state/}, the single key
     * {@code cilium/cluster-config/<cluster>} and {@code cilium/synced/<cluster>/}.
     * Call after the {@link #put}s: once auth is on, etcd refuses gateway requests that carry a
     * client cert CN, so {@link #put} stops working.
     */
    public void enableCiliumAuth(String clusterName) {
        gateway("/v3/auth/role/add", "{\"name\":\"root\"}");
        for (String user : List.of("root", "admin-" + clusterName)) {
            gateway("/v3/auth/user/add", "{\"name\":\"" + user + "\",\"options\":{\"no_password\":true}}");
            gateway("/v3/auth/user/grant", "{\"user\":\"" + user + "\",\"role\":\"root\"}");
        }
        gateway("/v3/auth/role/add", "{\"name\":\"remote\"}");
        grantRead("remote", "cilium/.heartbeat", null);
        grantRead("remote", "cilium/state/", prefixEnd("cilium/state/"));
        grantRead("remote", "cilium/cluster-config/" + clusterName, null);
        grantRead("remote", "cilium/synced/" + clusterName + "/", prefixEnd("cilium/synced/" + clusterName + "/"));
        gateway("/v3/auth/user/add", "{\"name\":\"remote\",\"options\":{\"no_password\":true}}");
        gateway("/v3/auth/user/grant", "{\"user\":\"remote\",\"role\":\"remote\"}");
        gateway("/v3/auth/enable", "{}");
    }

    private void grantRead(String role, String key, String rangeEnd) {
        String end = rangeEnd == null ? "" : ",\"range_end\":\"" + base64(rangeEnd) + "\"";
        gateway(
                "/v3/auth/role/grant",
                "{\"name\":\"" + role + "\",\"perm\":{\"permType\":\"READ\",\"key\":\"" + base64(key) + "\"" + end
                        + "}}");
    }

    private static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    private void gateway(String path, String json) {
        HttpResponse<String> response = post(path, json);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "etcd " + path + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** Raw POST to the JSON gateway, for tests that look at etcd's own answers. */
    public HttpResponse<String> post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("etcd request " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String log() {
        return logOf(dir);
    }

    @Override
    public void close() {
        stop(process);
        deleteRecursively(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; nothing left to do
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String lastProblem = "no attempt";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue());
            }
            if (acceptsTcp()) {
                try {
                    HttpResponse<String> health = http.send(
                            HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200 && health.body().contains("\"health\":\"true\"")) {
                        return;
                    }
                    lastProblem = "health " + health.statusCode() + " " + health.body();
                } catch (SSLHandshakeException e) {
                    if (rejectsServerCertificate(e)) {
                        // Serving TLS with a certificate our client refuses (tests of expired or
                        // foreign server certs): etcd is up, which is all readiness means here.
                        return;
                    }
                    lastProblem = e.toString();
                } catch (IOException e) {
                    lastProblem = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            sleep(100);
        }
        throw new IllegalStateException("etcd not ready within " + STARTUP_TIMEOUT + ": " + lastProblem);
    }

    private static boolean rejectsServerCertificate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private boolean acceptsTcp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpClient httpClient(String trustedCaPem, IssuedCertificate client) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry("client", client.privateKey(), password, new Certificate[] {client.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> cas = Pem.parseCertificates(trustedCaPem);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return HttpClient.newBuilder()
                    .sslContext(context)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the etcd test client", e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String logOf(Path dir) {
        try {
            Path log = dir.resolve("etcd.log");
            return Files.exists(log) ? Files.readString(log, UTF_8) : "";
        } catch (IOException e) {
            return "<unreadable etcd log: " + e.getMessage() + ">";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
