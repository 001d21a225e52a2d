package io.clustermesh.controller;

import io.clustermesh.controller.cli.MeshCli;
import io.clustermesh.controller.health.CheckCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar quarkus-run.jar} starts the service; {@code ... check ...} runs the one-shot
 * check instead, and the CLI's commands ({@code enable}, {@code connect}, {@code status}...,
 * docs/cli.md) talk to a running service; both as plain Java: Quarkus (and its HTTP server) is
 * never booted for them.
 */
@QuarkusMain
public final class Main {
    public static void main(String... args) {
        boolean check = args.length > 0 && args[0].equals("check");
        boolean help =
                Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
        // check keeps its own parser and exit codes (the CronJob relies on them); only its help is the CLI's.
        boolean cli = MeshCli.selects(args) && (!check || help);
        if (check || cli) {
            if (System.getProperty("java.util.logging.manager") == null) {
                System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            }
            quietLogging();
        }
        if (cli) {
            System.exit(MeshCli.run(args, System.out, System.err, System.getenv()));
        }
        if (check) {
            System.exit(CheckCommand.run(
                    Arrays.asList(args).subList(1, args.length), System.out, System.err, System.getenv()));
        }
        Quarkus.run(args);
    }

    /** stdout carries the report (JSON for the CronJob's log); library chatter goes to stderr, warnings only. */
    private static void quietLogging() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setLevel(Level.WARNING);
        root.addHandler(stderr);
        root.setLevel(Level.WARNING);
    }
}
