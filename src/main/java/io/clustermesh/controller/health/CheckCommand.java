package io.clustermesh.controller.health;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.contexts.FanOut;
import io.clustermesh.controller.mesh.ClusterOverviewService;
import io.clustermesh.controller.mesh.LinkStatusService;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check [--kubeconfig-dir DIR] [--output text|json] [--report-to URL]}: the same checks as
 * the service, run once against the clusters directly, without Quarkus (no HTTP server, no CDI)
 * so it starts fast and works while the service is down. Exit code: 0 healthy, 1 degraded,
 * 2 down, 3 configuration error. The reachability and WireGuard contributions are the
 * service's; the check runs the built-in cluster, certificate and link checks.
 */
public final class CheckCommand {
    public static final int CONFIGURATION_ERROR = 3;
    /** Environment variable holding the operator token used with {@code --report-to}. */
    public static final String TOKEN_ENV = "MESH_CHECK_TOKEN";

    private static final String USAGE = "usage: check [--kubeconfig-dir DIR] [--output text|json] [--report-to URL]";
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A fresh JVM's first Kubernetes call through a new client pays for class loading, JIT and
     * the client's event loop, which can eat the service's 5 s deadline on a busy node; the
     * CronJob has minutes, so the check waits at least this long for each cluster.
     */
    private static final Duration MIN_DEADLINE = Duration.ofSeconds(20);

    record Options(String kubeconfigDir, boolean json, String reportTo) {}

    private CheckCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            err.println(USAGE);
            return CONFIGURATION_ERROR;
        }
        SmallRyeConfig config;
        try {
            config = configuration(options, env);
        } catch (RuntimeException e) {
            err.println("check: invalid configuration: " + e.getMessage());
            return CONFIGURATION_ERROR;
        }
        MeshConfig mesh = config.getConfigMapping(MeshConfig.class);
        HealthConfig health = config.getConfigMapping(HealthConfig.class);
        ClusterRegistry registry = ClusterRegistry.standalone(mesh);
        registry.rescan();
        registry.errors()
                .forEach(e -> err.println("check: kubeconfig " + e.source()
                        + (e.context() == null ? "" : " context " + e.context()) + ": " + e.message()));
        if (registry.clusters().isEmpty()) {
            err.println(
                    "check: no cluster to check: give --kubeconfig-dir (or MESH_KUBECONFIG_DIR / KUBECONFIG) with at least one context");
            return CONFIGURATION_ERROR;
        }
        Clock clock = Clock.systemUTC();
        FanOut fanOut = new FanOut(mesh);
        HealthEvaluator evaluator = new HealthEvaluator(
                fanOut,
                new ClusterOverviewService(registry, fanOut, mesh, clock),
                new LinkStatusService(registry, fanOut, clock, mesh),
                clock,
                mesh.namespace(),
                health.health().certificateWarningDays(),
                Duration.ZERO);
        HealthReport report = evaluator.evaluate(List.of()).report();
        long durationMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        CheckRun run = new CheckRun(
                null, started, durationMs, report.status(), report.status().exitCode(), hostName(), null, report);
        try {
            out.println(
                    options.json()
                            ? HealthJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(run)
                            : CheckText.render(run));
        } catch (IOException e) {
            err.println("check: cannot render the result: " + e.getMessage());
        }
        if (options.reportTo() != null) {
            report(run, options.reportTo(), env.get(TOKEN_ENV), err);
        }
        return run.exitCode();
    }

    private static Options parse(List<String> args) {
        String dir = null;
        String output = "text";
        String reportTo = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            if (!List.of("--kubeconfig-dir", "--output", "--report-to").contains(name)) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String value;
            if (inline) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--kubeconfig-dir" -> dir = value;
                case "--output" -> output = value;
                default -> reportTo = value;
            }
        }
        if (!output.equals("text") && !output.equals("json")) {
            throw new IllegalArgumentException("--output is text or json, not " + output);
        }
        if (reportTo != null) {
            URI uri = URI.create(reportTo);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("--report-to needs an http(s) URL");
            }
        }
        return new Options(dir, output.equals("json"), reportTo);
    }

    /**
     * The service's own configuration sources without Quarkus: application.properties (no
     * profile), environment, system properties, and the arguments on top, with {@code ${VAR:}}
     * expressions expanded as Quarkus expands them. An explicit {@code --kubeconfig-dir} is the
     * only source of clusters, so {@code KUBECONFIG} cannot add clusters the CronJob was not
     * meant to check. Built once: a mapping is the costly part of a cold JVM's configuration.
     */
    static SmallRyeConfig configuration(Options options, Map<String, String> env) {
        Map<String, String> arguments = new HashMap<>();
        if (options.kubeconfigDir() != null) {
            arguments.put("mesh.kubeconfig-dir", options.kubeconfigDir());
            arguments.put("mesh.kubeconfig-paths", "");
        }
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(
                        new SysPropConfigSource(),
                        new EnvConfigSource(env, 300),
                        new PropertiesConfigSource(arguments, "check arguments", 1000))
                .withInterceptors(new MinimumDeadline())
                // Quarkus' own converter, so "5s" means what it means to the service.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(MeshConfig.class)
                .withMapping(HealthConfig.class)
                .withValidateUnknown(false);
        URL properties = CheckCommand.class.getClassLoader().getResource("application.properties");
        if (properties != null) {
            try {
                builder.withSources(new PropertiesConfigSource(properties, 250));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read application.properties", e);
            }
        }
        return builder.build();
    }

    /** Raises a per-cluster deadline below {@link #MIN_DEADLINE} to it, whichever source set it. */
    private static final class MinimumDeadline implements ConfigSourceInterceptor {
        private static final String DEADLINE = "mesh.client.per-cluster-deadline";

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            ConfigValue value = context.proceed(name);
            if (!DEADLINE.equals(name) || value == null || value.getValue() == null) {
                return value;
            }
            Duration configured;
            try {
                configured = DurationConverter.parseDuration(value.getValue());
            } catch (RuntimeException e) {
                return value; // the mapping reports it as the configuration error it is
            }
            return configured != null && configured.compareTo(MIN_DEADLINE) < 0
                    ? value.withValue(MIN_DEADLINE.toMillis() + "ms")
                    : value;
        }
    }

    private static void report(CheckRun run, String reportTo, String token, PrintStream err) {
        URI target = URI.create(reportTo);
        if (target.getPath() == null
                || target.getPath().isEmpty()
                || target.getPath().equals("/")) {
            target = target.resolve("/api/v1/checks");
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(REPORT_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(HealthJson.MAPPER.writeValueAsBytes(run)));
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token.trim());
            }
            HttpClient client =
                    HttpClient.newBuilder().connectTimeout(REPORT_TIMEOUT).build();
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                err.println("check: reporting to " + target + " failed: HTTP " + response.statusCode()
                        + (response.statusCode() == 401 || response.statusCode() == 403
                                ? " (set " + TOKEN_ENV + " to an operator token)"
                                : ""));
            }
        } catch (IOException e) {
            err.println(
                    "check: reporting to " + target + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return null;
        }
    }
}
