package io.clustermesh.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything under {@code mesh.*}. Defaults are the ones a first-time user should get. */
@ConfigMapping(prefix = "mesh")
public interface MeshConfig {

    /** Directory whose kubeconfig files are merged and watched. */
    @WithName("kubeconfig-dir")
    Optional<String> kubeconfigDir();

    /**
     * Colon-separated kubeconfig paths, like {@code KUBECONFIG}; merged before the directory.
     * Defaults to the {@code KUBECONFIG} environment variable.
     */
    @WithName("kubeconfig-paths")
    Optional<String> kubeconfigPaths();

    /** How often the kubeconfig sources are re-read for changes. */
    @WithName("kubeconfig-rescan-interval")
    @WithDefault("2s")
    Duration kubeconfigRescanInterval();

    /**
     * Link history, check runs and the audit trail; see {@link StateDirectory} for what an unset
     * value means. The chart mounts a volume at {@code /var/lib/clustermesh-controller} and sets
     * {@code MESH_STATE_DIR} to it.
     */
    @WithName("state-dir")
    Optional<String> stateDir();

    /**
     * The image this service runs from, and so the image its probe Pods run
     * ({@code mesh.reachability.probe-image} defaults to it). The chart and the image build set
     * it ({@code MESH_IMAGE}); {@code DeployArtifactsTest} keeps this default, the chart's, the
     * manifests' and the Containerfile's the same name.
     */
    @WithDefault("ghcr.io/clustermesh/clustermesh-controller:0.1.0")
    String image();

    /** Namespace Cilium runs in (cilium-cli's {@code -n}). */
    @WithDefault("kube-system")
    String namespace();

    Client client();

    /** Per-cluster settings, keyed by the cluster name the service shows. */
    Map<String, ClusterSettings> clusters();

    Auth auth();

    Operations operations();

    interface Operations {
        /** How long enable waits for the clustermesh-apiserver to become ready. */
        @WithName("ready-timeout")
        @WithDefault("180s")
        Duration readyTimeout();

        /**
         * How long certificate rotation waits, after a phase, for every agent to read the rewritten Secrets
         * (the kubelet refreshes mounted Secrets on its periodic sync, about once a minute plus its cache TTL).
         */
        @WithName("mounted-secret-timeout")
        @WithDefault("180s")
        Duration mountedSecretTimeout();

        /** The longest {@code ?wait=} a mutation may ask for (docs/cli.md). */
        @WithName("max-wait")
        @WithDefault("5m")
        Duration maxWait();
    }

    Demo demo();

    interface Client {
        @WithName("connect-timeout")
        @WithDefault("5s")
        Duration connectTimeout();

        @WithName("request-timeout")
        @WithDefault("10s")
        Duration requestTimeout();

        /** The longest one cluster may take to answer a fan-out question before it is reported down. */
        @WithName("per-cluster-deadline")
        @WithDefault("5s")
        Duration perClusterDeadline();
    }

    interface ClusterSettings {
        /** kubeconfig context to use; defaults to a context with the cluster's name. */
        Optional<String> context();

        Reachability reachability();

        /** Cilium cluster name we expect to find; a mismatch is reported. */
        @WithName("expected-cluster-name")
        Optional<String> expectedClusterName();

        @WithName("expected-cluster-id")
        Optional<Integer> expectedClusterId();

        /**
         * The clustermesh-apiserver image repository (or repository:tag) for this cluster; by default the
         * agent image's registry and path with the agent's tag, so a mirror or private registry keeps working.
         */
        @WithName("apiserver-image")
        Optional<String> apiserverImage();
    }

    interface Reachability {
        /** direct, port-forward or tailscale. */
        @WithDefault("direct")
        String mode();

        /** host:port others dial (port-forward: the router's public address; tailscale: optional override). */
        Optional<String> endpoint();
    }

    interface Auth {
        /** Bearer tokens by name: each holds the SHA-256 (hex) of the token and a role. */
        Map<String, Token> tokens();

        /** Lets anonymous callers read {@code GET /api/v1/health}. */
        @WithName("anonymous-health")
        @WithDefault("false")
        boolean anonymousHealth();
    }

    interface Token {
        /** Lower-case hex SHA-256 of the token; the token itself is never stored. */
        String sha256();

        /** viewer or operator. */
        @WithDefault("viewer")
        String role();
    }

    interface Demo {
        @WithDefault("false")
        boolean enabled();

        /** How many simulated clusters to start; the first two are homelab and cloud. */
        @WithDefault("2")
        int clusters();

        @WithName("operator-token")
        Optional<String> operatorToken();

        @WithName("viewer-token")
        Optional<String> viewerToken();

        /** Simulated network latency added to every Kubernetes API call of a simulated cluster. */
        @WithName("api-latency")
        @WithDefault("3ms")
        Duration apiLatency();

        @WithName("api-latency-jitter")
        @WithDefault("2ms")
        Duration apiLatencyJitter();

        /** Where the simulated clusters' kubeconfigs are written; a temp dir when unset. */
        @WithName("kubeconfig-dir")
        Optional<String> kubeconfigDir();
    }
}
