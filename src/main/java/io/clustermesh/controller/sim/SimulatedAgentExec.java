package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.AgentStatus;
import io.clustermesh.controller.cilium.AgentStatusRenderer;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.EncryptionStatus;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardInterface;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardStatus;
import io.clustermesh.controller.cilium.RemoteCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a command exec'd in a simulated agent container does. The argv is parsed as the real
 * programs parse it ({@code cilium-dbg} through cobra/pflag, {@code rm} as GNU coreutils), so an
 * argv the real agent refuses is refused here with the same message and exit code. What is parsed
 * fine but not simulated (other output formats, other subcommands) fails with a message that
 * starts with "simulator:", never with an invented success. {@code cilium-dbg status} is parsed
 * but not answered: the simulated agents publish their ClusterMesh view through their metrics.
 */
final class SimulatedAgentExec {
    static final String NOT_SIMULATED = "simulator: ";
    private static final CobraCommand CILIUM_DBG = CiliumCommandLines.ciliumDbg();

    private final SimulatedCluster cluster;

    SimulatedAgentExec(SimulatedCluster cluster) {
        this.cluster = cluster;
    }

    /** Null when {@code pod} is not an agent pod of this cluster (the API server answers 404). */
    SimulatedExec.Result exec(String pod, String container, List<String> command) {
        String node = cluster.view().agentNodes().get(pod);
        if (node == null) {
            return null;
        }
        if (!CiliumNames.AGENT_CONTAINER.equals(container)) {
            return SimulatedExec.Result.failed(1, "container " + container + " not found in pod " + pod);
        }
        if (cluster.wireGuard().crashLooping(node)) {
            // kubelet finds no running container to exec in while it waits to restart it.
            return SimulatedExec.Result.failed(
                    1, "error: unable to upgrade connection: container not found (\"" + container + "\")");
        }
        return run(node, command);
    }

    SimulatedExec.Result run(String node, List<String> command) {
        if (command.isEmpty()) {
            return SimulatedExec.Result.failed(1, "you must specify at least one command for the container");
        }
        List<String> args = command.subList(1, command.size());
        return switch (command.get(0)) {
            // The agent image ships cilium as an alias of cilium-dbg (cilium-cli still execs "cilium").
            case "cilium-dbg", "cilium", "/usr/bin/cilium-dbg" -> ciliumDbg(node, args);
            case "rm", "/bin/rm", "/usr/bin/rm" -> rm(node, args);
            case "cat", "/bin/cat", "/usr/bin/cat" -> cat(node, args);
            case "cilium-health", "/usr/bin/cilium-health" -> ciliumHealth(node, args);
            default ->
                SimulatedExec.Result.failed(
                        126,
                        "OCI runtime exec failed: exec failed: unable to start container process: exec: "
                                + CobraCommand.goQuote(command.get(0))
                                + ": executable file not found in $PATH: unknown");
        };
    }

    private SimulatedExec.Result ciliumDbg(String node, List<String> args) {
        CobraCommand.Outcome outcome = CILIUM_DBG.execute(args);
        if (outcome instanceof CobraCommand.Rejected rejected) {
            return new SimulatedExec.Result(rejected.exitCode(), rejected.stdout(), rejected.stderr());
        }
        CobraCommand.Invoked invoked = (CobraCommand.Invoked) outcome;
        if (invoked.help() || invoked.path().isEmpty()) {
            return SimulatedExec.Result.ok(CILIUM_DBG.usage());
        }
        return switch (invoked.path().get(0)) {
            case "status" -> status(node, invoked);
            case "debuginfo" -> debuginfo(node, invoked);
            default -> notSimulated("cilium-dbg " + String.join(" ", invoked.path()));
        };
    }

    /**
     * status.go: an unknown output format exits 1 without a word. The status itself is not
     * simulated: the simulated agents publish their ClusterMesh view through their metrics.
     */
    private SimulatedExec.Result status(String node, CobraCommand.Invoked invoked) {
        String output = invoked.last("output");
        if (output == null) {
            return notSimulated("cilium-dbg status without -o json (the text report)");
        }
        if (output.equals("json")) {
            return SimulatedExec.Result.ok(AgentStatusRenderer.renderStatus(agentStatus(node, Instant.now())) + "\n");
        }
        if (output.equals("yaml") || output.startsWith("jsonpath=")) {
            return notSimulated("cilium-dbg status -o " + output);
        }
        return new SimulatedExec.Result(1, "", "");
    }

    /** debuginfo.go validateInput/validateOutputOpts, then only the plain JSON dump to stdout is simulated. */
    private SimulatedExec.Result debuginfo(String node, CobraCommand.Invoked invoked) {
        boolean toFile = Boolean.parseBoolean(invoked.last("file"));
        boolean perCommand = Boolean.parseBoolean(invoked.last("file-per-command"));
        String directory = invoked.last("output-directory");
        if (directory != null && !directory.isEmpty() && !toFile) {
            return SimulatedExec.Result.failed(
                    1,
                    "invalid option combination; specified output-directory " + CobraCommand.goQuote(directory)
                            + ", but did not specify for output to be redirected to file; exiting\n");
        }
        List<String> formats = new ArrayList<>();
        for (String option : invoked.flags().getOrDefault("output", List.of())) {
            String format = option.toLowerCase(Locale.ROOT);
            switch (format) {
                case "markdown" -> formats.add(format);
                case "html" -> {
                    if (!toFile) {
                        return SimulatedExec.Result.failed(
                                1,
                                "if HTML is specified as the output format, it is required that you provide the `--file` argument as well\n");
                    }
                    formats.add(format);
                }
                case "json", "jsonpath" -> {
                    if (perCommand) {
                        return SimulatedExec.Result.failed(
                                1, option + " does not support dumping a file per command; exiting\n");
                    }
                    formats.add(format);
                }
                default -> {
                    if (!option.startsWith("jsonpath=")) {
                        return SimulatedExec.Result.failed(1, option + " is not a valid output format; exiting\n");
                    }
                    formats.add("jsonpath");
                }
            }
        }
        if (!formats.equals(List.of("json")) || toFile) {
            return notSimulated("cilium-dbg debuginfo other than --output json to stdout");
        }
        return SimulatedExec.Result.ok(
                AgentStatusRenderer.renderDebugInfoWireguard(cluster.wireGuard().status(node, Instant.now())) + "\n");
    }

    /** The agent's view of ClusterMesh and encryption; status never carries WireGuard peers (contract §7.2). */
    AgentStatus agentStatus(String node, Instant now) {
        List<RemoteCluster> remotes = SimulatedAgents.agentRemotes(cluster);
        WireguardStatus wg = cluster.wireGuard().status(node, now);
        List<WireguardInterface> withoutPeers = wg.interfaces().stream()
                .map(i -> new WireguardInterface(i.name(), i.listenPort(), i.publicKey(), i.peerCount(), null))
                .toList();
        return new AgentStatus(
                new AgentStatus.ClusterMeshStatus(remotes, 0),
                new EncryptionStatus("Wireguard", null, new WireguardStatus(withoutPeers, wg.nodeEncryption())));
    }

    /** GNU rm's option parsing; only the WireGuard key file exists in the simulated node's filesystem. */
    private SimulatedExec.Result rm(String node, List<String> args) {
        boolean force = false;
        List<String> operands = new ArrayList<>();
        boolean options = true;
        for (String arg : args) {
            if (options && arg.equals("--")) {
                options = false;
            } else if (options && arg.startsWith("--")) {
                switch (arg) {
                    case "--force" -> force = true;
                    case "--recursive", "--verbose", "--dir" -> {}
                    default -> {
                        return SimulatedExec.Result.failed(
                                1, "rm: unrecognized option '" + arg + "'\nTry 'rm --help' for more information.\n");
                    }
                }
            } else if (options && arg.startsWith("-") && arg.length() > 1) {
                for (char c : arg.substring(1).toCharArray()) {
                    if ("fIirRdv".indexOf(c) < 0) {
                        return SimulatedExec.Result.failed(
                                1, "rm: invalid option -- '" + c + "'\nTry 'rm --help' for more information.\n");
                    }
                    force |= c == 'f';
                }
            } else {
                operands.add(arg);
            }
        }
        if (operands.isEmpty()) {
            return force
                    ? SimulatedExec.Result.ok("")
                    : SimulatedExec.Result.failed(1, "rm: missing operand\nTry 'rm --help' for more information.\n");
        }
        if (!operands.equals(List.of(CiliumNames.WG_KEY_FILE))) {
            return notSimulated("rm of anything but " + CiliumNames.WG_KEY_FILE);
        }
        return cluster.wireGuard().removeKeyFile(node, force);
    }

    /** cilium-health's {@code status} with JSON output is answered from the simulated network; other argv is refused. */
    private SimulatedExec.Result ciliumHealth(String node, List<String> args) {
        if (args.equals(List.of("status", "-o", "json"))
                || args.equals(List.of("status", "--output", "json"))
                || args.equals(List.of("status", "--output=json"))
                || args.equals(List.of("status", "-o=json"))) {
            return SimulatedExec.Result.ok(SimulatedAgents.nodeHealth(cluster, node, Instant.now()));
        }
        if (!args.isEmpty() && !args.get(0).equals("status") && !args.get(0).startsWith("-")) {
            return SimulatedExec.Result.failed(
                    1,
                    "Error: unknown command " + CobraCommand.goQuote(args.get(0)) + " for \"cilium-health\"\n"
                            + "Run 'cilium-health --help' for usage.\n");
        }
        return notSimulated("cilium-health " + String.join(" ", args));
    }

    /** GNU cat of files; only the ClusterMesh volume's files (as the kubelet last synced them) exist in the simulated node. */
    private SimulatedExec.Result cat(String node, List<String> args) {
        StringBuilder out = new StringBuilder();
        for (String arg : args) {
            if (arg.startsWith("-") && !arg.equals("-")) {
                return arg.startsWith("--")
                        ? SimulatedExec.Result.failed(
                                1, "cat: unrecognized option '" + arg + "'\nTry 'cat --help' for more information.\n")
                        : SimulatedExec.Result.failed(
                                1,
                                "cat: invalid option -- '" + arg.charAt(1)
                                        + "'\nTry 'cat --help' for more information.\n");
            }
        }
        if (args.isEmpty() || args.contains("-")) {
            return notSimulated("cat of standard input");
        }
        for (String path : args) {
            if (!path.startsWith(CiliumNames.CLUSTERMESH_CONFIG_DIR)) {
                return notSimulated("cat of " + path);
            }
            var content = cluster.kubelet().read(node, path, Instant.now());
            if (content.isEmpty()) {
                return new SimulatedExec.Result(1, out.toString(), "cat: " + path + ": No such file or directory\n");
            }
            out.append(content.get());
        }
        return SimulatedExec.Result.ok(out.toString());
    }

    private static SimulatedExec.Result notSimulated(String what) {
        return SimulatedExec.Result.failed(1, NOT_SIMULATED + what + " is not simulated\n");
    }
}
