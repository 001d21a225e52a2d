package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * An operation's progress from its steps: {@code [######----] 6/10 homelab: create Secret ...}.
 * On a terminal the line is redrawn in place; otherwise (a pipe, a CI log) a line is printed
 * whenever it changes, so the log reads as the steps' history.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final boolean redraw;
    private String last = "";
    private int lastLength;
    /** Log mode: steps already reported as finished, so each one is printed once even when a poll missed its moment. */
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    ProgressBar(PrintWriter out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    void show(JsonNode operation) {
        int done = operation.path("progress").path("done").asInt();
        int total = operation.path("progress").path("total").asInt();
        if (!redraw) {
            reportFinishedSteps(operation, total);
        }
        String line = bar(done, total) + " " + done + "/" + total + "  " + current(operation);
        if (line.equals(last)) {
            return;
        }
        last = line;
        if (redraw) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void reportFinishedSteps(JsonNode operation, int total) {
        int finished = 0;
        for (JsonNode step : operation.path("steps")) {
            String state = step.path("state").asText();
            if (!state.equals("succeeded") && !state.equals("failed")) {
                continue;
            }
            finished++;
            String name = step.path("name").asText();
            if (reported.add(name)) {
                String message = step.path("message").asText(null);
                String line = bar(finished, total) + " " + finished + "/" + total + "  " + name
                        + (state.equals("succeeded") ? "" : " (" + state + ")")
                        + (message == null ? "" : ": " + message);
                if (!line.equals(last)) {
                    out.println(line);
                    last = line;
                }
            }
        }
    }

    void end() {
        if (redraw && lastLength > 0) {
            out.println();
        }
        out.flush();
    }

    static String bar(int done, int total) {
        int filled = total == 0 ? 0 : Math.min(WIDTH, done * WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }

    /** The running step, else the last finished one, with its state when it is not plain success. */
    private static String current(JsonNode operation) {
        JsonNode shown = null;
        for (JsonNode step : operation.path("steps")) {
            String state = step.path("state").asText();
            if (state.equals("running") || state.equals("failed")) {
                shown = step;
                break;
            }
            if (state.equals("succeeded")) {
                shown = step;
            }
        }
        if (shown == null) {
            return operation.path("state").asText();
        }
        String state = shown.path("state").asText();
        String message = shown.path("message").asText(null);
        return shown.path("name").asText()
                + (state.equals("succeeded") ? "" : " (" + state + ")")
                + (message == null ? "" : ": " + message);
    }
}
