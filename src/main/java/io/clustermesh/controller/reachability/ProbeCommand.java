package io.clustermesh.controller.reachability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.problems.ProblemException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The probe as a plain command, run where the service cannot be: in a remote-side probe Pod (its
 * answer goes to the termination message) or inside a network namespace in tests. Prints one JSON
 * {@link ProbeOutcome} line and exits 0 when the endpoint was reachable, 1 when not, 2 on bad
 * arguments. No Quarkus: it starts in well under a second and needs only the files it is given.
 */
public final class ProbeCommand {
    static final String TERMINATION_LOG = "/dev/termination-log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeCommand() {}

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(args);
        } catch (ProblemException | IllegalArgumentException e) {
            System.err.println("probe: " + e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }

    static int run(String[] args) {
        Map<String, String> options = parse(args);
        KvstoreProbeTarget target = new KvstoreProbeTarget(
                required(options, "host"),
                Integer.parseInt(required(options, "port")),
                options.get("server-name"),
                read(required(options, "ca")),
                read(required(options, "cert")),
                read(required(options, "key")),
                required(options, "cluster-name"),
                Integer.parseInt(options.getOrDefault("cluster-id", "0")));
        Duration timeout = Duration.ofMillis(Long.parseLong(options.getOrDefault("timeout-ms", "5000")));
        ProbeOutcome outcome;
        try (NettyEventLoops loops = new NettyEventLoops(1)) {
            outcome = new EndpointProbe(new KvstoreProbe(loops), InetAddress::getByName).probe(target, timeout);
        }
        String line = toJson(outcome);
        System.out.println(line);
        String terminationLog = options.get("termination-log");
        if (terminationLog != null) {
            try {
                Files.writeString(Path.of(terminationLog), line, StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("probe: cannot write " + terminationLog + ": " + e.getMessage());
            }
        }
        return outcome.ok() ? 0 : 1;
    }

    /** The arguments a caller passes for {@code target}, with the credential files at {@code tlsDir}. */
    static List<String> arguments(ProbeTarget target, String tlsDir, Duration timeout, String terminationLog) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--host",
                target.endpoint().host(),
                "--port",
                Integer.toString(target.endpoint().port()),
                "--cluster-name",
                target.clusterName(),
                "--cluster-id",
                Integer.toString(target.clusterId()),
                "--ca",
                tlsDir + "/ca.crt",
                "--cert",
                tlsDir + "/tls.crt",
                "--key",
                tlsDir + "/tls.key",
                "--timeout-ms",
                Long.toString(timeout.toMillis())));
        if (target.tlsServerName() != null) {
            args.addAll(List.of("--server-name", target.tlsServerName()));
        }
        if (terminationLog != null) {
            args.addAll(List.of("--termination-log", terminationLog));
        }
        return args;
    }

    static String toJson(ProbeOutcome outcome) {
        try {
            return JSON.writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the probe outcome", e);
        }
    }

    /** Parses a probe's output; anything else becomes a {@code failed} outcome quoting it. */
    static ProbeOutcome fromJson(String text) {
        if (text != null) {
            for (String line : text.strip().split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("{") && trimmed.contains("\"result\"")) {
                    try {
                        return JSON.readValue(trimmed, ProbeOutcome.class);
                    } catch (IOException e) {
                        break;
                    }
                }
            }
        }
        String shown = text == null || text.isBlank() ? "no output" : text.strip();
        return new ProbeOutcome(
                ProbeVerdict.FAILED,
                null,
                "probe gave no result: " + (shown.length() > 300 ? shown.substring(0, 300) + "…" : shown),
                List.of());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
