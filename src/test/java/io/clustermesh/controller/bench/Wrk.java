package io.clustermesh.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} (a separate process) against one URL. Debian ships wrk without wrk2's
 * fixed-rate option, so the fixed-rate run paces each connection with wrk's Lua {@code delay()}:
 * C connections each waiting C/rate seconds between requests offer at most {@code rate} req/s.
 * That is closed-loop (a slow answer delays the next request), so the achieved rate is reported
 * next to the latency; wrk's percentiles are per request and exclude the pacing delay.
 */
final class Wrk {
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s*(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$");
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("(?m)Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("(?m)Socket errors:.*");
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*(\\d+) requests in");

    record Result(
            double requestsPerSecond,
            double p50Ms,
            double p99Ms,
            long requests,
            long non2xx,
            String socketErrors,
            String raw) {}

    private Wrk() {}

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Result saturate(String url, String token, int connections, Duration duration, Path out, String... headers)
            throws IOException, InterruptedException {
        return run(url, token, connections, duration, null, out, headers);
    }

    static Result paced(
            String url, String token, int connections, int rate, Duration duration, Path out, String... headers)
            throws IOException, InterruptedException {
        Path script = out.resolveSibling(out.getFileName() + ".lua");
        Files.writeString(
                script,
                String.format(
                        Locale.ROOT,
                        "-- %d connections at %d req/s in total%nfunction delay()%n  return %.3f%nend%n",
                        connections,
                        rate,
                        connections * 1000.0 / rate));
        return run(url, token, connections, duration, script, out, headers);
    }

    private static Result run(
            String url, String token, int connections, Duration duration, Path script, Path out, String... headers)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "--latency",
                "-H",
                "Authorization: Bearer " + token));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("wrk exited " + p.exitValue() + ": " + text);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PERCENTILE.matcher(text);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2))
                    * switch (m.group(3)) {
                        case "us" -> 0.001;
                        case "s" -> 1000.0;
                        default -> 1.0;
                    };
            if (m.group(1).equals("50")) {
                p50 = value;
            } else {
                p99 = value;
            }
        }
        Matcher rate = RATE.matcher(text);
        Matcher non2xx = NON_2XX.matcher(text);
        Matcher errors = ERRORS.matcher(text);
        Matcher total = TOTAL.matcher(text);
        return new Result(
                rate.find() ? Double.parseDouble(rate.group(1)) : Double.NaN,
                p50,
                p99,
                total.find() ? Long.parseLong(total.group(1)) : 0,
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
                errors.find() ? errors.group().trim() : null,
                text);
    }
}
