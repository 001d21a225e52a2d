package io.clustermesh.controller.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table (one row per figure or in-run ratio) and every raw number behind it. */
final class Results {
    enum Verdict {
        PASS,
        FAIL,
        INFO,
        PENDING,
        ERROR
    }

    record Row(String figure, String what, String target, String measured, Verdict verdict) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();

    void row(String figure, String what, String target, String measured, Verdict verdict) {
        rows.add(new Row(figure, what, target, measured, verdict));
    }

    /** A row with a numeric target: PASS when {@code value <= limit} (or {@code >=} for a floor). */
    void check(String figure, String what, String target, double value, double limit, boolean atMost, String measured) {
        Verdict verdict = Double.isNaN(value)
                ? Verdict.ERROR
                : (atMost ? value <= limit : value >= limit) ? Verdict.PASS : Verdict.FAIL;
        row(figure, what, target, measured, verdict);
    }

    void error(String figure, String what, Exception e) {
        String message = String.valueOf(e.getMessage())
                .lines()
                .findFirst()
                .orElse(e.getClass().getSimpleName());
        row(
                figure,
                what,
                "-",
                "error: " + (message.length() > 120 ? message.substring(0, 120) + "..." : message),
                Verdict.ERROR);
    }

    void raw(String key, Object value) {
        raw.put(key, value);
    }

    /** Rows by figure (P1 first), in the order they were measured within a figure. */
    List<Row> rows() {
        return rows.stream().sorted(java.util.Comparator.comparing(Row::figure)).toList();
    }

    String table() {
        int[] width = {6, 4, 6, 8, 7};
        for (Row r : rows()) {
            width[0] = Math.max(width[0], r.figure().length());
            width[1] = Math.max(width[1], r.what().length());
            width[2] = Math.max(width[2], r.target().length());
            width[3] = Math.max(width[3], r.measured().length());
        }
        String format = "%-" + width[0] + "s | %-" + width[1] + "s | %-" + width[2] + "s | %-" + width[3] + "s | %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "figure", "what", "target", "measured", "result"));
        out.append("-".repeat(width[0] + width[1] + width[2] + width[3] + 20)).append('\n');
        rows().forEach(r -> out.append(String.format(
                format,
                r.figure(),
                r.what(),
                r.target(),
                r.measured(),
                r.verdict().name().toLowerCase())));
        return out.toString();
    }

    void write(Path dir, String header) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("table.txt"), header + table());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("rows", rows());
        all.put("raw", raw);
        Files.writeString(
                dir.resolve("results.json"),
                HttpJson.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
    }
}
