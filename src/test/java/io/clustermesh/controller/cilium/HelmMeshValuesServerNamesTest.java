package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.support.CiliumCharts;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Helm-mode enable gives the chart the names remotes dial the clustermesh-apiserver by (the declared
 * endpoint, LoadBalancer hostnames) as {@code clustermesh.apiserver.tls.server.extraDnsNames} /
 * {@code extraIpAddresses}, the keys Cilium's chart reads from 1.15.0 to 1.18.11 (values.yaml and
 * templates/clustermesh-apiserver/tls-{helm,cronJob,certmanager}). Disable gives the user's own back.
 */
class HelmMeshValuesServerNamesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("Cilium CA", Duration.ofDays(365), Clock.systemUTC());
    private static final String DNS = "clustermesh.apiserver.tls.server.extraDnsNames";
    private static final String IPS = "clustermesh.apiserver.tls.server.extraIpAddresses";

    record Case(
            String name,
            String userValues,
            List<String> dns,
            List<String> ips,
            List<String> expectedDns,
            List<String> expectedIps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no endpoint: the keys stay unset", "{}", List.of(), List.of(), null, null),
                new Case(
                        "a DNS endpoint and a LoadBalancer hostname",
                        "{}",
                        List.of("homelab.example.net", "a1b2.elb.example.com"),
                        List.of(),
                        List.of("homelab.example.net", "a1b2.elb.example.com"),
                        null),
                new Case("an IP endpoint", "{}", List.of(), List.of("203.0.113.10"), null, List.of("203.0.113.10")),
                new Case(
                        "the user's own names stay first, none twice",
                        "{\"clustermesh\":{\"apiserver\":{\"tls\":{\"server\":{\"extraDnsNames\":[\"mine.example\"],"
                                + "\"extraIpAddresses\":[\"192.0.2.1\"]}}}}}",
                        List.of("homelab.example.net", "mine.example"),
                        List.of("192.0.2.1", "fd00::10"),
                        List.of("mine.example", "homelab.example.net"),
                        List.of("192.0.2.1", "fd00::10")),
                new Case(
                        "the user's names kept when we add none",
                        "{\"clustermesh\":{\"apiserver\":{\"tls\":{\"server\":{\"extraDnsNames\":[\"mine.example\"]}}}}}",
                        List.of(),
                        List.of(),
                        List.of("mine.example"),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void enableSetsTheServerCertificateNamesAndDisableGivesTheUsersBack(Case c) throws Exception {
        ObjectNode original = (ObjectNode) JSON.readTree(c.userValues());

        ObjectNode enabled = HelmMeshValues.enable(original, enable(c.dns(), c.ips()));

        assertThat(strings(HelmMeshValues.get(enabled, DNS))).isEqualTo(c.expectedDns());
        assertThat(strings(HelmMeshValues.get(enabled, IPS))).isEqualTo(c.expectedIps());
        // A re-run of enable changes nothing more (no name twice).
        assertThat(HelmMeshValues.enable(enabled, enable(c.dns(), c.ips()))).isEqualTo(enabled);
        // Managed paths: disable puts the user's list (or nothing) back, and leaves no empty map behind.
        assertThat(HelmMeshValues.disable(enabled, original)).isEqualTo(original);
    }

    @Test
    void disableGivesBackTheUsersNamesNotTheirValueAtDisableTime() throws Exception {
        ObjectNode original = (ObjectNode) JSON.readTree(
                "{\"clustermesh\":{\"apiserver\":{\"tls\":{\"server\":{\"extraDnsNames\":[\"mine.example\"]}}}}}");
        ObjectNode enabled =
                HelmMeshValues.enable(original, enable(List.of("homelab.example.net"), List.of("203.0.113.10")));
        assertThat(strings(HelmMeshValues.get(enabled, DNS))).containsExactly("mine.example", "homelab.example.net");

        ObjectNode disabled = HelmMeshValues.disable(enabled, original);

        assertThat(strings(HelmMeshValues.get(disabled, DNS))).containsExactly("mine.example");
        assertThat(HelmMeshValues.get(disabled, IPS)).isNull();
    }

    /**
     * The chart's {@code helm} TLS method signs the server certificate at render time from the CA in
     * the values: the names must be in the certificate itself. Without them (the control) they are not.
     */
    @ParameterizedTest(name = "cilium {0}")
    @ValueSource(strings = {"1.15.0", "1.18.11"})
    void theNamesReachTheServerCertificateTheChartIssues(String version, @TempDir Path dir) throws Exception {
        List<String> withNames = serverCertificateNames(
                version,
                dir,
                "with",
                enable(List.of("homelab.example.net", "a1b2.elb.example.com"), List.of("203.0.113.10")));
        List<String> without = serverCertificateNames(version, dir, "without", enable(List.of(), List.of()));

        assertThat(withNames)
                .contains("homelab.example.net", "a1b2.elb.example.com", "203.0.113.10")
                .contains("clustermesh-apiserver.cilium.io", "*.mesh.cilium.io");
        assertThat(without)
                .contains("clustermesh-apiserver.cilium.io")
                .doesNotContain("homelab.example.net", "a1b2.elb.example.com", "203.0.113.10");
    }

    /**
     * The user's {@code cronJob} method issues the certificate in the cluster: the names reach
     * certgen's input (the scheduled CronJob; the install-time Job is a Helm hook with the same spec).
     */
    @ParameterizedTest(name = "cilium {0}")
    @ValueSource(strings = {"1.15.0", "1.18.11"})
    void theNamesReachTheCertgenJobOfTheCronJobMethod(String version, @TempDir Path dir) throws Exception {
        ObjectNode user = (ObjectNode)
                JSON.readTree(
                        "{\"clustermesh\":{\"apiserver\":{\"tls\":{\"auto\":{\"method\":\"cronJob\",\"schedule\":\"0 0 1 */4 *\"}}}}}");
        ObjectNode values =
                HelmMeshValues.enable(user, enable(List.of("homelab.example.net"), List.of("203.0.113.10")));

        String job = certgenCronJob(version, dir, "cronjob", values);
        String control = certgenCronJob(
                version, dir, "cronjob-control", HelmMeshValues.enable(user, enable(List.of(), List.of())));

        assertThat(job).contains("homelab.example.net", "203.0.113.10");
        assertThat(control).doesNotContain("homelab.example.net", "203.0.113.10");
    }

    private static String certgenCronJob(String version, Path dir, String label, ObjectNode values) throws Exception {
        return YAML.writeValueAsString(render(version, dir, label, values).stream()
                .filter(o -> o.path("kind").asText().equals("CronJob")
                        && o.path("metadata").path("name").asText().equals("clustermesh-apiserver-generate-certs"))
                .findFirst()
                .orElseThrow());
    }

    private static HelmMeshValues.Enable enable(List<String> dns, List<String> ips) {
        return new HelmMeshValues.Enable(
                "homelab", 1, "NodePort", 32379, CA.certificatePem(), CA.privateKeyPem(), dns, ips);
    }

    private static List<String> serverCertificateNames(
            String version, Path dir, String label, HelmMeshValues.Enable enable) throws Exception {
        ObjectNode values = HelmMeshValues.enable(JSON.createObjectNode(), enable);
        assertThat(HelmMeshValues.get(values, "clustermesh.apiserver.tls.auto.method")
                        .asText())
                .isEqualTo("helm");
        ObjectNode secret = render(version, dir, label, values).stream()
                .filter(o -> o.path("kind").asText().equals("Secret")
                        && o.path("metadata").path("name").asText().equals(CiliumNames.SERVER_CERT_SECRET))
                .findFirst()
                .orElseThrow();
        byte[] pem =
                Base64.getDecoder().decode(secret.path("data").path("tls.crt").asText());
        X509Certificate cert = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        List<String> names = new ArrayList<>();
        cert.getSubjectAlternativeNames().forEach(san -> names.add(String.valueOf(san.get(1))));
        return names;
    }

    /** {@code helm template} of the release's chart with the values file enable produced (no cluster asked). */
    private static List<ObjectNode> render(String version, Path dir, String label, ObjectNode values) throws Exception {
        Path file = dir.resolve(version + "-" + label + ".yaml");
        Files.writeString(file, YAML.writeValueAsString(values));
        return CiliumCharts.parse(new Helm(CiliumCharts.chart(version))
                .template()
                .withKubeVersion("1.31.0")
                .withName("cilium")
                .withNamespace("kube-system")
                .withValuesFile(file)
                .set("hubble.tls.auto.method", "cronJob")
                .call());
    }

    private static List<String> strings(JsonNode list) {
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
