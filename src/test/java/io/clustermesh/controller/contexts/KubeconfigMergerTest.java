package io.clustermesh.controller.contexts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeconfigMergerTest {

    static String kubeconfig(String context, String cluster, String server, String user, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %2$s
                  cluster:
                    server: %3$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %2$s
                    user: %4$s
                users:
                - name: %4$s
                  user:
                    token: %5$s
                """.formatted(context, cluster, server, user, token);
    }

    private static KubeconfigFile file(String name, String content) {
        return new KubeconfigFile(Path.of("/kubeconfigs", name), content, KubeconfigFile.sha256(content));
    }

    private static ClusterDefinitions.Result resolve(KubeconfigFile... files) {
        return ClusterDefinitions.resolve(KubeconfigMerger.merge(List.of(files), new ArrayList<>()), Map.of());
    }

    @Test
    void firstFileToDefineAContextClusterOrUserWins() {
        var result = resolve(
                file("a", kubeconfig("homelab", "home", "https://10.0.0.1:6443", "admin", "t1")),
                file("b", kubeconfig("homelab", "home", "https://10.9.9.9:6443", "admin", "t2")),
                file("c", kubeconfig("cloud", "home", "https://ignored:6443", "admin", "t3")));

        assertThat(result.clusters()).containsOnlyKeys("homelab", "cloud");
        assertThat(result.clusters().get("homelab").server()).isEqualTo("https://10.0.0.1:6443");
        // "cloud" names cluster "home" and user "admin", both first defined by file a.
        assertThat(result.clusters().get("cloud").server()).isEqualTo("https://10.0.0.1:6443");
        assertThat(result.clusters().get("cloud").singleContextKubeconfig())
                .contains("t1")
                .doesNotContain("t3");
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).contains("also defined in /kubeconfigs/a"));
    }

    @Test
    void invalidFileIsReportedWithoutHidingTheOthers() {
        var result = resolve(
                file("broken", "clusters: [ {name: x, cluster: {server: \"unterminated"),
                file("good", kubeconfig("cloud", "cloud", "https://203.0.113.10:6443", "admin", "t")));

        assertThat(result.clusters()).containsOnlyKeys("cloud");
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("/kubeconfigs/broken");
            assertThat(e.message()).startsWith("not a valid kubeconfig");
        });
    }

    @Test
    void emptyAndNonKubeconfigFilesAreReported() {
        var result = resolve(file("empty", "  \n"), file("other", "foo: bar\n"));

        assertThat(result.clusters()).isEmpty();
        assertThat(result.errors())
                .extracting(SourceError::message)
                .containsExactly("file is empty", "not a kubeconfig: no contexts, clusters or users");
    }

    @Test
    void parserErrorsNeverQuoteTheFile() {
        String secret = "s3cr3t-token-value-abcdef";
        var result = resolve(file("bad", "users:\n- name: u\n  user:\n    token: " + secret + "\n   bad: [indent\n"));

        assertThat(result.errors()).isNotEmpty();
        assertThat(result.errors().toString()).doesNotContain(secret);
    }

    @Test
    void contextWithMissingUserOrClusterIsReported() {
        String missingUser = """
                clusters:
                - name: c
                  cluster: {server: "https://1.2.3.4"}
                contexts:
                - name: lonely
                  context: {cluster: c, user: nobody}
                - name: orphan
                  context: {cluster: nowhere}
                """;
        var result = resolve(file("f", missingUser));

        assertThat(result.clusters()).isEmpty();
        assertThat(result.errors())
                .extracting(SourceError::message)
                .containsExactly(
                        "context refers to user 'nobody' which no kubeconfig defines",
                        "context refers to cluster 'nowhere' which no kubeconfig defines");
    }

    @Test
    void contextNamesThatAreNotDnsLabelsAreReported() {
        var result = resolve(
                file("eks", kubeconfig("arn:aws:eks:eu-west-1:1:cluster/prod", "c", "https://1.2.3.4", "u", "t")));

        assertThat(result.clusters()).isEmpty();
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("mesh.clusters.<name>.context"));
    }

    @Test
    void singleContextKubeconfigIsLeftOutOfToString() {
        var result = resolve(file("a", kubeconfig("homelab", "home", "https://10.0.0.1:6443", "admin", "very-secret")));

        assertThat(result.clusters().get("homelab").toString()).doesNotContain("very-secret");
    }
}
