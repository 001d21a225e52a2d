package io.clustermesh.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README stays a front door, and the documentation's links lead somewhere. */
class DocumentationTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|#)([^)#\\s]+)(#[^)]*)?\\)");
    /** Written on sibling branches of the same issue; the merge brings them. */
    private static final Set<String> WRITTEN_ELSEWHERE =
            Set.of("docs/cli.md", "docs/rbac.md", "docs/hardening.md", "docs/dataplane.md");

    @Test
    void readmeIsAtMostTwelveKilobytes() throws IOException {
        assertThat(Files.size(README)).isLessThanOrEqualTo(12 * 1024);
    }

    @Test
    void readmeGivesTheTwoCommandsExactly() throws IOException {
        String readme = Files.readString(README);
        assertThat(readme).contains("```\n./mvnw quarkus:dev\n```", "```\n./mvnw -B verify\n```");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("./mvnw -B verify");
    }

    @Test
    void everyRelativeLinkPointsToAFileThatExists() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(README, Path.of("deploy/README.md"), Path.of("bench/RESULTS.md")));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher link = RELATIVE_LINK.matcher(Files.readString(page));
            while (link.find()) {
                Path target =
                        page.toAbsolutePath().getParent().resolve(link.group(1)).normalize();
                String fromTop = Path.of("").toAbsolutePath().relativize(target).toString();
                if (!Files.exists(target) && !WRITTEN_ELSEWHERE.contains(fromTop)) {
                    broken.add(page + " -> " + link.group(1));
                }
            }
        }
        assertThat(broken).isEmpty();
    }
}
