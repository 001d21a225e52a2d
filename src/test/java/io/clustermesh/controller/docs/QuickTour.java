package io.clustermesh.controller.docs;

import java.util.List;
import java.util.Locale;

/**
 * The README's quick tour: the first fenced code block after the marker {@code <!-- quick-tour -->}
 * or, without one, after the first line that says "quick tour" (a heading or a sentence).
 */
final class QuickTour {
    static final String MARKER = "<!-- quick-tour -->";

    private QuickTour() {}

    static String extract(List<String> readme) {
        int start = indexOf(readme, MARKER);
        if (start < 0) {
            for (int i = 0; i < readme.size() && start < 0; i++) {
                if (readme.get(i).toLowerCase(Locale.ROOT).contains("quick tour")) {
                    start = i;
                }
            }
        }
        if (start < 0) {
            throw new IllegalStateException(
                    "README.md has no quick tour: no " + MARKER + " and no line saying \"quick tour\"");
        }
        int open = -1;
        for (int i = start; i < readme.size(); i++) {
            if (readme.get(i).startsWith("```")) {
                open = i;
                break;
            }
        }
        if (open < 0) {
            throw new IllegalStateException("no code block after the quick tour's line " + (start + 1));
        }
        StringBuilder block = new StringBuilder();
        for (int i = open + 1; i < readme.size(); i++) {
            if (readme.get(i).startsWith("```")) {
                return block.toString();
            }
            block.append(readme.get(i)).append('\n');
        }
        throw new IllegalStateException("the quick tour's code block (line " + (open + 1) + ") is not closed");
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
