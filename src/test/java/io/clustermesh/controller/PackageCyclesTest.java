package io.clustermesh.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One capability, one package, and packages that do not depend on each other in a circle (house
 * style; issue 14). Dependencies are read from the main sources: imports, static imports and
 * fully qualified names. A sub-package (health.spi) is a package of its own: that is how the
 * health SPI lets reachability and wireguard contribute without depending on health's evaluation.
 * Any dependency that closes a cycle fails the build.
 */
class PackageCyclesTest {
    private static final String BASE = "io.clustermesh.controller";
    private static final Path MAIN = Path.of("src", "main", "java", "io", "clustermesh", "controller");
    private static final Pattern REFERENCE =
            Pattern.compile("\\b" + Pattern.quote(BASE) + "\\.([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z*]");
    private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^package [^;]+;");

    @Test
    void noDependencyBetweenCapabilityPackagesClosesACycle() throws IOException {
        Map<String, Set<String>> graph = dependencies(mainSources());
        assertThat(graph)
                .as("the main sources were read")
                .containsKeys("api", "mesh", "cilium", "contexts", "health.spi");
        assertThat(cycleEdges(graph))
                .as("dependencies that close a cycle between packages; graph: " + graph)
                .isEmpty();
    }

    @Test
    void aTwoWayDependencyIsFoundAsACycle() {
        Map<String, List<String>> sources = Map.of(
                "a", List.of("package " + BASE + ".a;\nimport " + BASE + ".b.Thing;\nclass A {}"),
                "b", List.of("package " + BASE + ".b;\nclass B { Object o = " + BASE + ".a.A.class; }"),
                "c", List.of("package " + BASE + ".c;\nimport static " + BASE + ".a.A.helper;\nclass C {}"));
        Map<String, Set<String>> graph = dependencies(sources);
        assertThat(graph)
                .containsEntry("a", Set.of("b"))
                .containsEntry("b", Set.of("a"))
                .containsEntry("c", Set.of("a"));
        assertThat(cycleEdges(graph)).containsExactlyInAnyOrder("a -> b", "b -> a");
        assertThat(cycleEdges(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"))))
                .containsExactlyInAnyOrder("a -> b", "b -> c", "c -> a");
        assertThat(cycleEdges(Map.of("a", Set.of("b"), "b", Set.of("c")))).isEmpty();
    }

    /** Sources of each package under the base package, by dotted name (classes in the base package itself count as {@code (root)}). */
    private static Map<String, List<String>> mainSources() throws IOException {
        Map<String, List<String>> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Path relative = MAIN.relativize(f);
                String pkg = relative.getNameCount() > 1
                        ? relative.getParent().toString().replace(java.io.File.separatorChar, '.')
                        : "(root)";
                try {
                    sources.computeIfAbsent(pkg, k -> new java.util.ArrayList<>())
                            .add(Files.readString(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return sources;
    }

    static Map<String, Set<String>> dependencies(Map<String, List<String>> sources) {
        Map<String, Set<String>> graph = new TreeMap<>();
        sources.forEach((pkg, texts) -> {
            Set<String> uses = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String text : texts) {
                Matcher m = REFERENCE.matcher(PACKAGE_LINE.matcher(text).replaceFirst(""));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.add(m.group(1));
                    }
                }
            }
        });
        return graph;
    }

    /** The edges inside strongly connected components of more than one package (Tarjan), as {@code "a -> b"}. */
    static Set<String> cycleEdges(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Map<String, Integer> component = new HashMap<>();
        Set<String> nodes = new TreeSet<>(graph.keySet());
        graph.values().forEach(nodes::addAll);
        int[] counter = {0, 0};
        for (String node : nodes) {
            if (!index.containsKey(node)) {
                strongConnect(node, graph, index, low, stack, component, counter);
            }
        }
        Map<Integer, Integer> sizes = new HashMap<>();
        component.values().forEach(c -> sizes.merge(c, 1, Integer::sum));
        Set<String> edges = new TreeSet<>();
        graph.forEach((from, tos) -> tos.forEach(to -> {
            if (component.get(from).equals(component.get(to)) && sizes.get(component.get(from)) > 1) {
                edges.add(from + " -> " + to);
            }
        }));
        return edges;
    }

    private static void strongConnect(
            String node,
            Map<String, Set<String>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Map<String, Integer> component,
            int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                strongConnect(next, graph, index, low, stack, component, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            String member;
            do {
                member = stack.pop();
                component.put(member, counter[1]);
            } while (!member.equals(node));
            counter[1]++;
        }
    }
}
