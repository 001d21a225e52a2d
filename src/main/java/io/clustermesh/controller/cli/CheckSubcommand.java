package io.clustermesh.controller.cli;

import io.clustermesh.controller.health.CheckCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one-shot check (README "One-shot check"), listed here for {@code --help} and completion.
 * It runs against the clusters directly, not the service; its exit codes are its own.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the health checks once, directly against the clusters (no service needed).",
            "Exit codes: 0 healthy, 1 degraded, 2 down, 3 configuration error."
        })
final class CheckSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--kubeconfig-dir",
            paramLabel = "DIR",
            description = "kubeconfig files to check (default: the service's configuration)")
    String kubeconfigDir;

    @Option(names = "--output", paramLabel = "text|json", description = "report format (default text)")
    String output;

    @Option(
            names = "--report-to",
            paramLabel = "URL",
            description = "POST the result to the service (operator token in $MESH_CHECK_TOKEN)")
    String reportTo;

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>();
        add(args, "--kubeconfig-dir", kubeconfigDir);
        add(args, "--output", output);
        add(args, "--report-to", reportTo);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                MeshCli.of(spec).env());
        MeshCli.of(spec).out().print(out.toString(StandardCharsets.UTF_8));
        spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
        return code;
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
    }
}
