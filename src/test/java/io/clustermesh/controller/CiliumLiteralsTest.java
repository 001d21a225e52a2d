package io.clustermesh.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Cilium's contract is spelled out in {@code cilium/} only (issue 14): no other main source names
 * a Cilium object, key, flag or command in a string literal. A name is one token: literals with
 * white space are messages for people, which may well mention {@code cilium-config}. Two rules find
 * names: any that mentions Cilium ({@link #CILIUM_WORDS}, and every {@code --flag}), and any equal to
 * a constant of {@code cilium/CiliumNames}. The simulator plays real Cilium and may spell it out;
 * the few names of our own that look like Cilium's are listed, by file.
 */
class CiliumLiteralsTest {
    private static final Path MAIN = Path.of("src", "main", "java", "io", "clustermesh", "controller");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern CILIUM_WORDS =
            Pattern.compile("[Cc]ilium|clustermesh-apiserver|kvstoremesh|wg-pub-key|^--[a-z][a-z-]*=?$");
    private static final Pattern CONSTANT =
            Pattern.compile("static final String [A-Z0-9_]+\\s*=\\s*\"((?:[^\"\\\\\\n]|\\\\.)*)\"\\s*;");
    /** Where Cilium may be spelled out: its contract, and the simulator that plays it. */
    private static final Set<String> OWNERS = Set.of("cilium/", "sim/");
    /** Our command line: every {@code --flag} there is an option of ours. */
    private static final String OUR_COMMAND_LINE = "cli/";

    private static final Pattern FLAG = Pattern.compile("^--[a-z][a-z-]*=?$");
    /**
     * Literals of our own that the rules would take for Cilium's, by file: our commands' flags,
     * problem-type slugs and the name of a health check; and generic Kubernetes words that
     * {@code cilium/} also happens to define.
     */
    private static final Map<String, Set<String>> OURS = Map.of(
            "reachability/ProbeCommand.java",
                    Set.of(
                            "cluster-name",
                            "cluster-id",
                            "--host",
                            "--port",
                            "--cluster-name",
                            "--cluster-id",
                            "--ca",
                            "--cert",
                            "--key",
                            "--timeout-ms",
                            "--server-name",
                            "--termination-log"),
            "health/CheckCommand.java", Set.of("--kubeconfig-dir", "--output", "--report-to"),
            "Main.java", Set.of("--help"),
            "problems/ProblemType.java", Set.of("cilium-not-ready-for-mesh", "unsupported-cilium-version"),
            "health/ClusterChecks.java", Set.of("cilium"),
            // An annotation's default must be a constant, and config/ cannot import cilium/ (cilium -> contexts ->
            // config).
            "config/MeshConfig.java", Set.of("kube-system"),
            // Our probe pod's own file names, the usual ones of a Kubernetes TLS Secret.
            "reachability/RemoteProbePods.java", Set.of("ca.crt", "tls.crt", "tls.key"));

    @Test
    void noMainSourceOutsideCiliumSpellsOutACiliumName() throws IOException {
        Map<String, String> sources = mainSources();
        assertThat(sources).as("the main sources were read").containsKey("cilium/CiliumNames.java");
        Set<String> constants = ciliumConstants(sources);
        assertThat(constants).as("cilium/ defines its names").contains("cilium-config", "cilium-agent");
        assertThat(findings(sources, constants)).isEmpty();
    }

    @Test
    void aCiliumNameOutsideCiliumIsFound() {
        Map<String, String> sources = Map.of(
                "cilium/CiliumNames.java", "class N { static final String AGENT = \"k8s-app\"; }",
                "cilium/AgentStatus.java", "class S { static final String FIELD = \"endpoints\"; }",
                "mesh/Planner.java",
                        "class P { String a = \"cilium.io\"; String b = \"k8s-app\"; String c = \"--enable-x=\";"
                                + " String ok = \"connect\"; String message = \"check cilium-config\"; String field = \"endpoints\"; }",
                "sim/Agent.java", "class A { String a = \"cilium-dbg\"; }",
                "Main.java", "class M { String h = \"--help\"; String c = \"--cluster\"; }",
                "cli/Status.java", "class S { String o = \"--output\"; String c = \"cilium-dbg\"; }");
        assertThat(findings(sources, ciliumConstants(sources)))
                .containsExactly(
                        "Main.java: \"--cluster\"",
                        "cli/Status.java: \"cilium-dbg\"",
                        "mesh/Planner.java: \"--enable-x=\"",
                        "mesh/Planner.java: \"cilium.io\"",
                        "mesh/Planner.java: \"k8s-app\"");
    }

    /** Every literal outside the owners that a rule flags and that is not listed as ours, as {@code file: "literal"}. */
    static Set<String> findings(Map<String, String> sources, Set<String> constants) {
        Set<String> found = new TreeSet<>();
        sources.forEach((file, text) -> {
            if (OWNERS.stream().anyMatch(file::startsWith)) {
                return;
            }
            Matcher m = LITERAL.matcher(withoutComments(text));
            while (m.find()) {
                String literal = m.group(1);
                if (literal.isEmpty() || literal.chars().anyMatch(Character::isWhitespace)) {
                    continue;
                }
                boolean ourFlag = file.startsWith(OUR_COMMAND_LINE)
                        && FLAG.matcher(literal).matches();
                boolean cilium = !ourFlag && (CILIUM_WORDS.matcher(literal).find() || constants.contains(literal));
                if (cilium && !OURS.getOrDefault(file, Set.of()).contains(literal)) {
                    found.add(file + ": \"" + literal + "\"");
                }
            }
        });
        return found;
    }

    /** The values of the string constants {@code cilium/CiliumNames} defines. */
    static Set<String> ciliumConstants(Map<String, String> sources) {
        Set<String> constants = new TreeSet<>();
        sources.forEach((file, text) -> {
            if (file.equals("cilium/CiliumNames.java")) {
                Matcher m = CONSTANT.matcher(text);
                while (m.find()) {
                    constants.add(m.group(1));
                }
            }
        });
        return constants;
    }

    /** Comments may name Cilium's objects (they say why); only code counts. */
    private static String withoutComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
    }

    private static Map<String, String> mainSources() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> javaFiles =
                    files.filter(f -> f.toString().endsWith(".java")).toList();
            for (Path f : javaFiles) {
                try {
                    sources.put(
                            MAIN.relativize(f).toString().replace(java.io.File.separatorChar, '/'),
                            Files.readString(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sources;
    }
}
