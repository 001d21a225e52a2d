package io.clustermesh.controller.sim;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A command tree parsed the way spf13/cobra (command lookup) and spf13/pflag (flags) parse the
 * argv of Cilium's Go binaries, so a simulated {@code cilium-dbg} or {@code clustermesh-apiserver}
 * refuses what the real one refuses, with the same message and exit code. Modelled from cobra's
 * {@code Find}/{@code stripFlags}/{@code legacyArgs} and pflag's {@code parseArgs}, {@code
 * parseLongArg}, {@code parseSingleShortArg} and its error types: an unknown subcommand of the
 * root is "unknown command", an unknown long flag "unknown flag: --x", an unknown shorthand
 * "unknown shorthand flag: 'o' in -o", a bad value "invalid argument ... for ... flag: cause".
 */
final class CobraCommand {
    /** Flag value types, each validated as pflag's Set would. */
    enum Kind {
        BOOL,
        STRING,
        STRING_SLICE,
        UINT32,
        INT,
        DURATION,
        KEY_VALUE
    }

    record Flag(String name, String shorthand, Kind kind) {
        String displayName() {
            return shorthand == null ? "--" + name : "-" + shorthand + ", --" + name;
        }
    }

    /** What running the binary with some argv leads to. */
    sealed interface Outcome permits Invoked, Rejected {}

    /** The command ran: its path below the root, the flags set (last value wins, slices accumulate) and the positional args. */
    record Invoked(List<String> path, Map<String, List<String>> flags, List<String> args, boolean help)
            implements Outcome {
        String last(String flag) {
            List<String> values = flags.get(flag);
            return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
        }

        boolean has(String flag) {
            return flags.containsKey(flag);
        }
    }

    /** cobra printed an error and the process exited. */
    record Rejected(String message, String stdout, String stderr, int exitCode) implements Outcome {}

    private static final Pattern DURATION =
            Pattern.compile("[-+]?(([0-9]*(\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h))+|[-+]?0");

    private final String name;
    private final Map<String, CobraCommand> children = new LinkedHashMap<>();
    private final List<Flag> flags = new ArrayList<>();
    private final List<Flag> persistentFlags = new ArrayList<>();
    private CobraCommand parent;

    CobraCommand(String name) {
        this.name = name;
    }

    CobraCommand flag(String flagName, Kind kind) {
        return flag(flagName, null, kind);
    }

    CobraCommand flag(String flagName, String shorthand, Kind kind) {
        flags.add(new Flag(flagName, shorthand, kind));
        return this;
    }

    CobraCommand persistentFlag(String flagName, String shorthand, Kind kind) {
        persistentFlags.add(new Flag(flagName, shorthand, kind));
        return this;
    }

    CobraCommand add(CobraCommand... subcommands) {
        for (CobraCommand child : subcommands) {
            child.parent = this;
            children.put(child.name, child);
        }
        return this;
    }

    String name() {
        return name;
    }

    private String commandPath() {
        return parent == null ? name : parent.commandPath() + " " + name;
    }

    /** Local flags, inherited persistent flags and cobra's own {@code -h, --help}. */
    private List<Flag> allFlags() {
        List<Flag> all = new ArrayList<>(flags);
        for (CobraCommand c = this; c != null; c = c.parent) {
            all.addAll(c.persistentFlags);
        }
        all.add(new Flag("help", "h", Kind.BOOL));
        return all;
    }

    private Flag byName(String flagName) {
        return allFlags().stream()
                .filter(f -> f.name().equals(flagName))
                .findFirst()
                .orElse(null);
    }

    private Flag byShorthand(char c) {
        return allFlags().stream()
                .filter(f -> f.shorthand() != null && f.shorthand().equals(String.valueOf(c)))
                .findFirst()
                .orElse(null);
    }

    /** Runs the binary this root stands for with {@code argv} (without the program name). */
    Outcome execute(List<String> argv) {
        CobraCommand command = this;
        List<String> rest = new ArrayList<>(argv);
        while (true) {
            List<String> words = command.stripFlags(rest);
            CobraCommand next = words.isEmpty() ? null : command.children.get(words.get(0));
            if (next == null) {
                break;
            }
            rest.remove(words.get(0));
            command = next;
        }
        // legacyArgs: only the root refuses positional words, and only when it has subcommands.
        List<String> words = command.stripFlags(rest);
        if (command.parent == null && !command.children.isEmpty() && !words.isEmpty()) {
            String message = "unknown command " + goQuote(words.get(0)) + " for " + goQuote(command.commandPath())
                    + command.suggestionsFor(words.get(0));
            return new Rejected(
                    message,
                    message + "\n",
                    "Error: " + message + "\nRun '" + command.commandPath() + " --help' for usage.\n",
                    1);
        }
        return command.parse(rest);
    }

    /** cobra's stripFlags: the words left once flags (and the values they take) are removed. */
    private List<String> stripFlags(List<String> args) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (s.equals("--")) {
                break;
            }
            boolean longTakingValue = s.startsWith("--") && !s.contains("=") && !isBool(byName(s.substring(2)));
            boolean shortTakingValue =
                    s.startsWith("-") && !s.contains("=") && s.length() == 2 && !isBool(byShorthand(s.charAt(1)));
            if (longTakingValue || shortTakingValue) {
                if (args.size() - i - 1 <= 1) {
                    break;
                }
                i++;
            } else if (!s.isEmpty() && !s.startsWith("-")) {
                words.add(s);
            }
        }
        return words;
    }

    private static boolean isBool(Flag flag) {
        return flag != null && flag.kind() == Kind.BOOL;
    }

    /** pflag's parseArgs with interspersed flags and args. */
    private Outcome parse(List<String> args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        int i = 0;
        try {
            while (i < args.size()) {
                String s = args.get(i++);
                if (s.length() < 2 || s.charAt(0) != '-') {
                    positional.add(s);
                } else if (s.equals("--")) {
                    positional.addAll(args.subList(i, args.size()));
                    break;
                } else if (s.charAt(1) == '-') {
                    i = parseLong(s, args, i, values);
                } else {
                    i = parseShorts(s.substring(1), args, i, values);
                }
            }
        } catch (FlagError e) {
            String usage = usage();
            return new Rejected(
                    e.getMessage(), usage + "\n" + e.getMessage() + "\n", "Error: " + e.getMessage() + "\n", 1);
        }
        List<String> path = new ArrayList<>();
        for (CobraCommand c = this; c.parent != null; c = c.parent) {
            path.add(0, c.name);
        }
        return new Invoked(
                path,
                values,
                positional,
                values.containsKey("help")
                        && Boolean.parseBoolean(values.get("help").get(0)));
    }

    private int parseLong(String s, List<String> args, int next, Map<String, List<String>> values) {
        String body = s.substring(2);
        if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
            throw new FlagError("bad flag syntax: " + s);
        }
        int eq = body.indexOf('=');
        String flagName = eq < 0 ? body : body.substring(0, eq);
        Flag flag = byName(flagName);
        if (flag == null) {
            throw new FlagError("unknown flag: --" + flagName);
        }
        String value;
        if (eq >= 0) {
            value = body.substring(eq + 1);
        } else if (flag.kind() == Kind.BOOL) {
            value = "true";
        } else if (next < args.size()) {
            value = args.get(next++);
        } else {
            throw new FlagError("flag needs an argument: --" + flagName);
        }
        set(flag, value, values);
        return next;
    }

    private int parseShorts(String shorthands, List<String> args, int next, Map<String, List<String>> values) {
        String rest = shorthands;
        while (!rest.isEmpty()) {
            char c = rest.charAt(0);
            Flag flag = byShorthand(c);
            if (flag == null) {
                throw new FlagError("unknown shorthand flag: " + goQuote(c) + " in -" + rest);
            }
            String value;
            if (rest.length() > 2 && rest.charAt(1) == '=') {
                value = rest.substring(2);
                rest = "";
            } else if (flag.kind() == Kind.BOOL) {
                value = "true";
                rest = rest.substring(1);
            } else if (rest.length() > 1) {
                value = rest.substring(1);
                rest = "";
            } else if (next < args.size()) {
                value = args.get(next++);
                rest = "";
            } else {
                throw new FlagError("flag needs an argument: " + goQuote(c) + " in -" + rest);
            }
            set(flag, value, values);
        }
        return next;
    }

    private static void set(Flag flag, String value, Map<String, List<String>> values) {
        String cause = invalidBecause(flag.kind(), value);
        if (cause != null) {
            throw new FlagError(
                    "invalid argument " + goQuote(value) + " for " + goQuote(flag.displayName()) + " flag: " + cause);
        }
        List<String> list = values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
        if (flag.kind() == Kind.STRING_SLICE || flag.kind() == Kind.KEY_VALUE) {
            list.addAll(List.of(value.split(",", -1)));
        } else {
            list.add(value);
        }
    }

    /** The error Go's strconv / time packages give for {@code value}, or null when it parses. */
    private static String invalidBecause(Kind kind, String value) {
        return switch (kind) {
            case BOOL ->
                List.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False")
                                .contains(value)
                        ? null
                        : "strconv.ParseBool: parsing " + goQuote(value) + ": invalid syntax";
            case UINT32 -> unsignedError(value, 32);
            case INT -> signedError(value, 64);
            case DURATION -> DURATION.matcher(value).matches() ? null : "time: invalid duration " + goQuote(value);
            // Cilium's NamedMapOptions: every comma-separated entry is key=value.
            case KEY_VALUE ->
                java.util.Arrays.stream(value.split(",", -1)).allMatch(e -> e.indexOf('=') > 0)
                        ? null
                        : "invalid key-value pair " + goQuote(value) + ", expected key=value";
            case STRING, STRING_SLICE -> null;
        };
    }

    /** strconv.ParseUint(s, 0, bits): base prefixes 0x, 0o, 0b and a leading 0 for octal are honoured. */
    private static String unsignedError(String value, int bits) {
        BigInteger parsed = parseGoInteger(value);
        if (parsed == null || parsed.signum() < 0) {
            return "strconv.ParseUint: parsing " + goQuote(value) + ": invalid syntax";
        }
        return parsed.bitLength() > bits
                ? "strconv.ParseUint: parsing " + goQuote(value) + ": value out of range"
                : null;
    }

    private static String signedError(String value, int bits) {
        BigInteger parsed = parseGoInteger(value);
        if (parsed == null) {
            return "strconv.ParseInt: parsing " + goQuote(value) + ": invalid syntax";
        }
        return parsed.bitLength() > bits - 1
                ? "strconv.ParseInt: parsing " + goQuote(value) + ": value out of range"
                : null;
    }

    private static BigInteger parseGoInteger(String value) {
        String s = value;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        int radix = 10;
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            s = s.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        s = s.replace("_", "");
        if (s.isEmpty() || !s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && Character.digit(ch, 16) < 16)) {
            return null;
        }
        try {
            BigInteger parsed = new BigInteger(s, radix);
            return negative ? parsed.negate() : parsed;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** cobra's suggestions: subcommands within Levenshtein distance 2, or that the typed word is a prefix of. */
    private String suggestionsFor(String typed) {
        List<String> close = children.keySet().stream()
                .filter(c -> levenshtein(typed.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT))
                                <= 2
                        || c.toLowerCase(java.util.Locale.ROOT).startsWith(typed.toLowerCase(java.util.Locale.ROOT)))
                .toList();
        if (close.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\n\nDid you mean this?\n");
        close.forEach(c -> text.append('\t').append(c).append('\n'));
        return text.toString();
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /** An abridged cobra usage text: the invocation line and the flag names. */
    String usage() {
        StringBuilder text = new StringBuilder("Usage:\n  ")
                .append(commandPath())
                .append(children.isEmpty() ? " [flags]\n" : " [command]\n");
        if (!children.isEmpty()) {
            text.append("\nAvailable Commands:\n");
            children.keySet().forEach(c -> text.append("  ").append(c).append('\n'));
        }
        text.append("\nFlags:\n");
        allFlags()
                .forEach(f -> text.append(f.shorthand() == null ? "      " : "  -" + f.shorthand() + ", ")
                        .append("--")
                        .append(f.name())
                        .append('\n'));
        return text.toString();
    }

    /** Go's %q for a string: double quotes, with quotes and backslashes escaped. */
    static String goQuote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Go's %q for a rune: single quotes. */
    static String goQuote(char c) {
        return c == '\'' ? "'\\''" : "'" + c + "'";
    }

    private static final class FlagError extends RuntimeException {
        FlagError(String message) {
            super(message, null, false, false);
        }
    }

    /** The subcommand {@code childName}, or null. */
    CobraCommand child(String childName) {
        return children.get(childName);
    }

    /** The names of this command's own (not inherited) flags. */
    List<String> flagNames() {
        return flags.stream().map(Flag::name).toList();
    }
}
