package io.clustermesh.controller.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command line (docs/cli.md): cilium-cli's {@code clustermesh} verbs against a running
 * service's REST API. Plain picocli, started from {@code Main} before Quarkus would boot, so the
 * service's start is untouched and a command answers in a fraction of a second.
 */
@Command(
        name = "clustermesh-controller",
        mixinStandardHelpOptions = true,
        versionProvider = MeshCli.Version.class,
        description = {
            "Talks to a running clustermesh-controller over its REST API.",
            "Without a command, `java -jar quarkus-run.jar` starts the service itself."
        },
        subcommands = {
            EnableCommand.class,
            DisableCommand.class,
            ConnectCommand.class,
            DisconnectCommand.class,
            StatusCommand.class,
            RotateCommand.class,
            CheckSubcommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 done, 1 the request, the operation or the mesh failed (reason on stderr),",
            "2 bad usage, 3 the service could not be reached or refused the token."
        })
public final class MeshCli {
    /** The first arguments that select the CLI instead of the service. */
    public static final Set<String> COMMANDS = Set.of(
            "enable",
            "disable",
            "connect",
            "disconnect",
            "status",
            "rotate",
            "check",
            "completion",
            "help",
            "--help",
            "-h",
            "--version",
            "-V");
    /** Options whose values are secrets: redacted from any message that echoes the command line. */
    private static final Set<String> SECRET_OPTIONS = Set.of("--token");

    private final Map<String, String> env;
    private final PrintWriter out;

    private MeshCli(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    public static boolean selects(String... args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs one command; returns its exit code. {@code env} stands for the process environment (tests pass their own). */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr, Map<String, String> env) {
        PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(stderr, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new MeshCli(env, out));
        cli.addSubcommand("completion", new AutoComplete.GenerateCompletion());
        cli.getSubcommands()
                .get("completion")
                .getCommandSpec()
                .name("completion")
                .usageMessage()
                .hidden(false)
                .description("Prints a bash/zsh completion script: source <(clustermesh-controller completion)");
        cli.setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliFailure failure) {
                err.println("error: " + failure.getMessage());
                return failure.exitCode();
            }
            err.println("error: unexpected " + e.getClass().getSimpleName());
            return CliFailure.FAILED;
        });
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println("error: " + redact(e.getMessage(), args));
            e.getCommandLine().usage(err);
            return 2;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static MeshCli of(CommandSpec spec) {
        return (MeshCli) spec.root().userObject();
    }

    Map<String, String> env() {
        return env;
    }

    PrintWriter out() {
        return out;
    }

    /** A terminal gets a redrawn progress bar; pipes and logs get one line per change. */
    static boolean interactive() {
        return System.console() != null;
    }

    /** picocli quotes unmatched arguments; a token given with --token must not come back that way. */
    static String redact(String message, String[] args) {
        String result = message == null ? "" : message;
        for (int i = 0; i < args.length; i++) {
            String secret = null;
            for (String option : SECRET_OPTIONS) {
                if (args[i].equals(option) && i + 1 < args.length) {
                    secret = args[i + 1];
                } else if (args[i].startsWith(option + "=")) {
                    secret = args[i].substring(option.length() + 1);
                }
            }
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MeshCli.class.getPackage().getImplementationVersion();
            return new String[] {"clustermesh-controller " + (version == null ? "(development build)" : version)};
        }
    }
}
