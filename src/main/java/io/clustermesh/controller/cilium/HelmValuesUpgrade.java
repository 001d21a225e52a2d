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
    public Release upgrade(
            HelmRelease release, HelmRelease pristine, ObjectNode values, String operation, boolean dryRun) {
        return withChart(release, pristine, values, (chart, valuesFile) -> {
            var upgrade = new Helm(chart)
                    .upgrade()
                    .withName(release.name())
                    .withNamespace(release.namespace())
                    .withKubeConfigContents(kubeconfig)
                    .resetValues()
                    .withValuesFile(valuesFile)
                    .withDescription(HelmMeshValues.DESCRIPTION_PREFIX + operation);
            if (!openApiValidation) {
                upgrade.disableOpenApiValidation();
            }
            if (dryRun) {
                upgrade.dryRun();
            }
            return upgrade.call();
        });
    }

    /**
     * The manifest {@code values} would give, rendered client-side ({@code helm template}) with the
     * same chart as {@link #upgrade}: for the dry run's object diff. Helm's {@code lookup} finds
     * nothing here, so certificates the chart generates (tls auto method {@code helm}) show as changed.
     */
    public String render(HelmRelease release, HelmRelease pristine, ObjectNode values, String kubeVersion) {
        return withChart(
                release,
                pristine,
                values,
                (chart, valuesFile) -> new Helm(chart)
                        .template()
                        .withName(release.name())
                        .withNamespace(release.namespace())
                        .withKubeVersion(kubeVersion)
                        .withValuesFile(valuesFile)
                        .call());
    }

    private interface ChartAction<T> {
        T run(Path chart, Path valuesFile);
    }

    private static <T> T withChart(
            HelmRelease release, HelmRelease pristine, ObjectNode values, ChartAction<T> action) {
        Path work = null;
        try {
            // Owner-only (createTempDirectory on POSIX): the values file holds the CA key when enable gives the chart
            // our mesh CA.
            work = Files.createTempDirectory("clustermesh-helm");
            Path chart = release.writeChart(
                    work,
                    pristine.chart().get("values") instanceof ObjectNode v
                            ? v
                            : release.chart().deepCopy().removeAll());
            Path valuesFile = work.resolve("values.yaml");
            Files.writeString(valuesFile, YAML.writeValueAsString(values));
            return action.run(chart, valuesFile);
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
