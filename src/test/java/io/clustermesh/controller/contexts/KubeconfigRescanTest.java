package io.clustermesh.controller.contexts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.support.ConfigProxy;
import io.clustermesh.controller.support.Kubeconfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic rescan parses kubeconfigs only when a source changed, without missing a quick rewrite. */
class KubeconfigRescanTest {
    @TempDir
    Path dir;

    @Test
    void settledUnchangedSourcesAreNotReadAgainAndAnEditIs() throws IOException {
        Path file = dir.resolve("lab");
        write(file, "lab-a");
        ClusterRegistry registry = registry();
        settle(file);
        registry.rescan();

        assertThat(registry.rescanIfChanged()).isFalse();
        assertThat(registry.clusters()).extracting(ManagedCluster::name).containsExactly("lab-a");

        write(file, "lab-bb");
        assertThat(registry.rescanIfChanged()).isTrue();
        assertThat(registry.clusters()).extracting(ManagedCluster::name).containsExactly("lab-bb");

        Files.writeString(dir.resolve("other"), kubeconfig("other"));
        settle(file);
        settle(dir.resolve("other"));
        assertThat(registry.rescanIfChanged())
                .as("a new file changes the directory")
                .isTrue();
        assertThat(registry.clusters()).extracting(ManagedCluster::name).containsExactlyInAnyOrder("lab-bb", "other");
    }

    @Test
    void aSameSizeRewriteWithinTheTimestampGranularityIsStillRead() throws IOException {
        Path file = dir.resolve("lab");
        write(file, "lab-a");
        ClusterRegistry registry = registry();
        registry.rescan();
        FileTime stamp = Files.getLastModifiedTime(file);

        write(file, "lab-b");
        Files.setLastModifiedTime(file, stamp);

        assertThat(registry.rescanIfChanged()).isTrue();
        assertThat(registry.clusters()).extracting(ManagedCluster::name).containsExactly("lab-b");
    }

    private ClusterRegistry registry() {
        MeshConfig.Client client = ConfigProxy.of(
                MeshConfig.Client.class,
                Map.of("connectTimeout", Duration.ofSeconds(1), "requestTimeout", Duration.ofSeconds(1)));
        MeshConfig config = ConfigProxy.of(
                MeshConfig.class,
                Map.of(
                        "kubeconfigDir",
                        Optional.of(dir.toString()),
                        "kubeconfigPaths",
                        Optional.empty(),
                        "clusters",
                        Map.of(),
                        "client",
                        client));
        return new ClusterRegistry(config);
    }

    private static void write(Path file, String context) throws IOException {
        Files.writeString(file, kubeconfig(context));
    }

    /** Makes a file and its directory look untouched for a minute. */
    private void settle(Path file) throws IOException {
        FileTime minuteAgo = FileTime.from(Instant.now().minusSeconds(60));
        Files.setLastModifiedTime(file, minuteAgo);
        Files.setLastModifiedTime(dir, minuteAgo);
    }

    private static String kubeconfig(String context) {
        return Kubeconfigs.of(context, "https://127.0.0.1:1");
    }
}
