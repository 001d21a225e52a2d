package io.clustermesh.controller.cilium;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small reader and writer for the Prometheus text exposition format (version 0.0.4), enough for
 * agent and KVStoreMesh {@code /metrics} (contract §8). Reading is lenient: comments, blank lines,
 * optional timestamps and escaped label values are handled, and a line that does not parse is
 * skipped rather than failing the whole scrape.
 */
public final class PrometheusText {

    /** One sample line. Labels keep their order of appearance. */
    public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
        public Sample {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        public String label(String key) {
            return labels.get(key);
        }
    }

    private PrometheusText() {}

    public static List<Sample> parse(String text) {
        return parse(text, "");
    }

    /**
     * The samples whose metric name starts with {@code namePrefix}. Other lines are passed over
     * without being parsed: a real agent's page has thousands of lines, of which a scrape for one
     * subsystem wants a few hundred.
     */
    public static List<Sample> parse(String text, String namePrefix) {
        List<Sample> samples = new ArrayList<>();
        if (text == null) {
            return samples;
        }
        int n = text.length();
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = n;
            }
            int first = lineStart;
            while (first < lineEnd && isSpace(text.charAt(first))) {
                first++;
            }
            if (first < lineEnd && text.startsWith(namePrefix, first) && text.charAt(first) != '#') {
                Sample sample = parseLineOrNull(text.substring(first, lineEnd).strip());
                if (sample != null) {
                    samples.add(sample);
                }
            }
            lineStart = lineEnd + 1;
        }
        return samples;
    }

    static Sample parseLineOrNull(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isNameChar(line.charAt(i), i == 0, true)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i = parseLabels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        int valueStart = skipSpaces(line, i);
        int valueEnd = valueStart;
        while (valueEnd < n && !isSpace(line.charAt(valueEnd))) {
            valueEnd++;
        }
        int timestampStart = skipSpaces(line, valueEnd);
        int timestampEnd = timestampStart;
        while (timestampEnd < n && !isSpace(line.charAt(timestampEnd))) {
            timestampEnd++;
        }
        // A value must be separated from the name or labels, and at most a timestamp may follow it.
        if (valueStart == valueEnd || (valueStart == i && labels.isEmpty()) || skipSpaces(line, timestampEnd) < n) {
            return null;
        }
        try {
            double value = parseValue(line.substring(valueStart, valueEnd));
            Long timestamp =
                    timestampStart < timestampEnd ? Long.valueOf(line.substring(timestampStart, timestampEnd)) : null;
            return new Sample(name, labels, value, timestamp);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Returns the index after the closing brace, or -1 when the label set is malformed. */
    private static int parseLabels(String line, int i, Map<String, String> labels) {
        int n = line.length();
        while (true) {
            i = skipSpaces(line, i);
            if (i >= n) {
                return -1;
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < n && isNameChar(line.charAt(i), i == start, false)) {
                i++;
            }
            if (i == start) {
                return -1;
            }
            String key = line.substring(start, i);
            i = skipSpaces(line, i);
            if (i >= n || line.charAt(i) != '=') {
                return -1;
            }
            i = skipSpaces(line, i + 1);
            if (i >= n || line.charAt(i) != '"') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            i++;
            while (i < n && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char next = line.charAt(++i);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                i++;
            }
            if (i >= n) {
                return -1;
            }
            labels.put(key, value.toString());
            i = skipSpaces(line, i + 1);
            if (i < n && line.charAt(i) == ',') {
                i++;
            }
        }
    }

    static double parseValue(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** One sample line as the Go client writes it: labels sorted by name, escaped, Go float format. */
    public static String formatSample(String name, Map<String, String> labels, double value) {
        StringBuilder sb = new StringBuilder(name);
        if (!labels.isEmpty()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
            }
            sb.append('}');
        }
        return sb.append(' ').append(formatValue(value)).toString();
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which the Prometheus Go client uses: shortest
     * digits, exponent form when the decimal exponent is below -4 or at least 6 (so a Unix
     * timestamp prints as {@code 1.764018843e+09}, as in the captured metrics).
     */
    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = value < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            return sign + scientific(digits, exp);
        }
        return sign + d.toPlainString();
    }

    private static String scientific(String digits, int exp) {
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isNameChar(char c, boolean first, boolean colonAllowed) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || (colonAllowed && c == ':')
                || (!first && c >= '0' && c <= '9');
    }
}
