package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code helm upgrade} of a user's release to new values with real Helm (helm-java), rendered with
 * the chart kept in the release record itself, so the Cilium version stays exactly the user's. The
 * values file holds the release's complete next values and replaces the old ones ({@code --reset-values}),
 * which is {@code --reuse-values} plus our change, and lets disable remove keys as well. Each
 * revision is described {@link HelmMeshValues#DESCRIPTION_PREFIX}{@code <operation>}.
 *
 * @param openApiValidation off only where the API server serves no OpenAPI document (the simulator)
 */
public record HelmValuesUpgrade(String kubeconfig, boolean openApiValidation) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Upgrades (or with {@code dryRun} only renders) {@code release} to {@code values}; returns Helm's
     * answer. {@code pristine} is a revision before any change of ours (the baseline, or the release
     * itself before the first): its chart defaults are the ones to render with.
     */
    public Release upgrade(HelmRelease release, HelmRelease pristine, ObjectNode values, String operation, boolean dryRun) {
        Path work = null;
        try {
            work = Files.createTempDirectory("clustermesh-helm");
            Path chart = release.writeChart(work, pristine.chart().get("values") instanceof ObjectNode v ? v : release.chart().deepCopy().removeAll());
            Path valuesFile = work.resolve("values.yaml");
            // Holds the CA key when enable gives the chart our mesh CA: owner-only, and removed below.
            Files.writeString(valuesFile, YAML.writeValueAsString(values));
            var upgrade = new Helm(chart).upgrade().withName(release.name()).withNamespace(release.namespace())
                    .withKubeConfigContents(kubeconfig).resetValues().withValuesFile(valuesFile)
                    .withDescription(HelmMeshValues.DESCRIPTION_PREFIX + operation);
            if (!openApiValidation) {
                upgrade.disableOpenApiValidation();
            }
            if (dryRun) {
                upgrade.dryRun();
            }
            return upgrade.call();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the chart of Helm release " + release.name(), e);
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind; nothing else depends on it
        }
    }
}
