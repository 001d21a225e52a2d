package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A simulated agent refuses the argv real {@code cilium-dbg} (cobra/pflag) and GNU {@code rm}
 * refuse, with their message and exit code, and answers the argv they accept. Every row goes
 * through the Kubernetes exec WebSocket, as the service's own calls do.
 */
class SimulatedExecTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SimulatedCluster cloud;
    private static KubernetesClient client;

    record Run(int exitCode, String stdout, String stderr) {}

    @BeforeAll
    static void start() {
        cloud = SimulatedCluster.startIndexed(1);
        client = SimulatedClients.through(cloud);
    }

    @AfterAll
    static void stop() {
        client.close();
        cloud.close();
    }

    /** Argv the real CLI accepts: the simulated one answers (top-level key of its JSON) or says it does not simulate it. */
    static Stream<Arguments> accepted() {
        // status answers as the real agent does: JSON with its cluster-mesh section.
        String notSimulated = "cluster-mesh";
        return Stream.of(
                arguments(AgentCommands.STATUS, notSimulated),
                arguments(List.of("cilium-dbg", "status", "--output", "json"), notSimulated),
                arguments(List.of("cilium-dbg", "status", "--output=json"), notSimulated),
                arguments(List.of("cilium-dbg", "status", "-ojson"), notSimulated),
                arguments(List.of("cilium-dbg", "status", "-o=json", "--brief"), notSimulated),
                arguments(List.of("cilium-dbg", "-D", "status", "-o", "json"), notSimulated),
                arguments(
                        List.of("cilium-dbg", "--host", "unix:///var/run/cilium/cilium.sock", "status", "-o", "json"),
                        notSimulated),
                arguments(List.of("cilium", "status", "-o", "json"), notSimulated),
                arguments(AgentCommands.DEBUGINFO, "encryption"),
                arguments(List.of("cilium-dbg", "debuginfo", "--output=json"), "encryption"),
                arguments(List.of("cilium-dbg", "debuginfo", "--output", "JSON"), "encryption"),
                arguments(List.of("cilium-dbg", "-D", "debuginfo", "--output", "json"), "encryption"));
    }

    @ParameterizedTest
    @MethodSource
    void accepted(List<String> argv, String topLevelKey) throws Exception {
        Run run = exec(argv);
        if (topLevelKey == null) {
            assertThat(run.exitCode()).as("exit of %s", argv).isEqualTo(1);
            assertThat(run.stderr())
                    .as("stderr of %s", argv)
                    .startsWith(SimulatedAgentExec.NOT_SIMULATED + "cilium-dbg status");
            return;
        }
        assertThat(run.exitCode())
                .as("exit of %s; stderr %s", argv, run.stderr())
                .isZero();
        JsonNode out = JSON.readTree(run.stdout());
        assertThat(out.has(topLevelKey)).as("%s prints %s", argv, topLevelKey).isTrue();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // The defect of issue 19: debuginfo's --output has no shorthand.
                arguments(
                        List.of("cilium-dbg", "debuginfo", "-o", "json"),
                        1,
                        "Error: unknown shorthand flag: 'o' in -o\n"),
                arguments(List.of("cilium-dbg", "status", "-x"), 1, "Error: unknown shorthand flag: 'x' in -x\n"),
                arguments(
                        List.of("cilium-dbg", "status", "-jo", "json"),
                        1,
                        "Error: unknown shorthand flag: 'j' in -jo\n"),
                arguments(List.of("cilium-dbg", "status", "--json"), 1, "Error: unknown flag: --json\n"),
                arguments(
                        List.of("cilium-dbg", "debuginfo", "--output"), 1, "Error: flag needs an argument: --output\n"),
                arguments(List.of("cilium-dbg", "status", "-o"), 1, "Error: flag needs an argument: 'o' in -o\n"),
                arguments(
                        List.of("cilium-dbg", "status", "--brief=maybe"),
                        1,
                        "Error: invalid argument \"maybe\" for \"--brief\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n"),
                arguments(
                        List.of("cilium-dbg", "status", "--timeout", "soon"),
                        1,
                        "Error: invalid argument \"soon\" for \"--timeout\" flag: time: invalid duration \"soon\"\n"),
                arguments(
                        List.of("cilium-dbg", "stats", "-o", "json"),
                        1,
                        "Error: unknown command \"stats\" for \"cilium-dbg\"\n\nDid you mean this?\n\tstatus\n\nRun 'cilium-dbg --help' for usage.\n"),
                arguments(
                        List.of("cilium-dbg", "wireguard"),
                        1,
                        "Error: unknown command \"wireguard\" for \"cilium-dbg\"\nRun 'cilium-dbg --help' for usage.\n"),
                // status prints nothing when the output printer is unknown, and exits 1.
                arguments(List.of("cilium-dbg", "status", "-o", "xml"), 1, ""),
                arguments(
                        List.of("cilium-dbg", "debuginfo", "--output", "xml"),
                        1,
                        "xml is not a valid output format; exiting\n"),
                arguments(
                        List.of("cilium-dbg", "debuginfo", "--output", "html"),
                        1,
                        "if HTML is specified as the output format, it is required that you provide the `--file` argument as well\n"),
                arguments(
                        List.of("cilium-dbg", "debuginfo", "--output-directory", "/tmp", "--output", "json"),
                        1,
                        "invalid option combination; specified output-directory \"/tmp\", but did not specify for output to be redirected to file; exiting\n"),
                arguments(
                        List.of("rm", "-x", CiliumNames.WG_KEY_FILE),
                        1,
                        "rm: invalid option -- 'x'\nTry 'rm --help' for more information.\n"),
                arguments(
                        List.of("rm", "--force-it", CiliumNames.WG_KEY_FILE),
                        1,
                        "rm: unrecognized option '--force-it'\nTry 'rm --help' for more information.\n"),
                arguments(List.of("rm"), 1, "rm: missing operand\nTry 'rm --help' for more information.\n"));
    }

    @ParameterizedTest
    @MethodSource
    void rejected(List<String> argv, int exitCode, String stderr) throws Exception {
        Run run = exec(argv);
        assertThat(run.exitCode()).as("exit of %s", argv).isEqualTo(exitCode);
        assertThat(run.stderr()).as("stderr of %s", argv).isEqualTo(stderr);
    }

    @Test
    void aFlagErrorAlsoPrintsUsageAndTheErrorOnStdoutAsCiliumDbgsMainDoes() throws Exception {
        Run run = exec(List.of("cilium-dbg", "debuginfo", "-o", "json"));
        assertThat(run.stdout())
                .startsWith("Usage:\n  cilium-dbg debuginfo [flags]\n")
                .contains("      --output\n")
                .doesNotContain("-o, --output")
                .endsWith("\nunknown shorthand flag: 'o' in -o\n");
    }

    @Test
    void theRefusalComesFromTheFlagTableNotFromTheArgvItself() {
        var debuginfoWithShorthand = new CobraCommand("cilium-dbg")
                .add(new CobraCommand("debuginfo").flag("output", "o", CobraCommand.Kind.STRING_SLICE));
        assertThat(debuginfoWithShorthand.execute(List.of("debuginfo", "-o", "json")))
                .isInstanceOf(CobraCommand.Invoked.class);
        assertThat(CiliumCommandLines.ciliumDbg().execute(List.of("debuginfo", "-o", "json")))
                .isInstanceOf(CobraCommand.Rejected.class);
    }

    @Test
    void aProgramTheImageDoesNotHaveCannotStart() throws Exception {
        Run run = exec(List.of("ciliumdbg", "status"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("exec: \"ciliumdbg\": executable file not found in $PATH");
    }

    @Test
    void debuginfoListsTheWireGuardPeersOfTheOtherNodes() throws Exception {
        var debuginfo = AgentStatusParser.parseDebugInfoWireguard(
                exec(AgentCommands.DEBUGINFO).stdout());
        assertThat(debuginfo.interfaces().get(0).peers()).hasSize(2);
    }

    @Test
    void removingTheKeyFileTwiceNeedsForceTheSecondTime() throws Exception {
        String agent = agentOn("cloud-node-3");
        assertThat(exec(agent, List.of("rm", "-f", CiliumNames.WG_KEY_FILE)).exitCode())
                .isZero();
        Run again = exec(agent, List.of("rm", CiliumNames.WG_KEY_FILE));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr())
                .isEqualTo("rm: cannot remove '" + CiliumNames.WG_KEY_FILE + "': No such file or directory\n");
        assertThat(exec(agent, AgentCommands.REMOVE_WIREGUARD_KEY).exitCode()).isZero();
    }

    private static Run exec(List<String> argv) throws Exception {
        return exec(agentOn("cloud-node-1"), argv);
    }

    private static String agentOn(String node) {
        return client
                .pods()
                .inNamespace(NS)
                .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .list()
                .getItems()
                .stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()))
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName();
    }

    /**
     * A WebSocket that did not open (the simulated API server's event loop busy on a loaded machine)
     * is opened again; what the command answers is never retried.
     */
    private static Run exec(String pod, List<String> argv) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return execOnce(pod, argv);
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (attempt >= 3 || !(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
                    throw e;
                }
            }
        }
    }

    private static Run execOnce(String pod, List<String> argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (var watch = client.pods()
                .inNamespace(NS)
                .withName(pod)
                .inContainer(CiliumNames.AGENT_CONTAINER)
                .writingOutput(out)
                .writingError(err)
                .exec(argv.toArray(String[]::new))) {
            int exit = watch.exitCode().get(10, TimeUnit.SECONDS);
            // stdout/stderr frames arrive before the status frame, but the streams are flushed by the watch.
            Thread.sleep(20);
            return new Run(exit, out.toString(), err.toString());
        }
    }
}
