package io.clustermesh.controller.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** What every changing command takes: a dry run, or waiting for the operation with a progress bar. */
final class MutationOptions {
    @Option(
            names = "--dry-run",
            description = "print the plan (what would be created, updated, deleted) and change nothing")
    boolean dryRun;

    @Option(
            names = "--wait",
            description =
                    "follow the operation with a progress bar; exit 0 when it succeeds, 1 with the reason when not")
    boolean await;

    @Option(
            names = "--wait-duration",
            paramLabel = "DURATION",
            defaultValue = "5m",
            description = "how long --wait waits, such as 90s or 5m (default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration waitDuration;
}
