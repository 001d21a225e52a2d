package io.clustermesh.controller.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-link status transitions, kept in one state file so they survive a restart. Bounded:
 * {@code perLink} transitions per link and {@code maxLinks} links (the least recently changed
 * link is dropped first).
 */
final class LinkHistoryStore {
    static final String FILE_NAME = "link-history.json";
    static final String DISCONNECTED = "disconnected";
    private static final String UNKNOWN = "unknown";
    private static final String HEALTHY = "healthy";

    /** The file's shape; {@code version} lets a later release migrate it. */
    record Document(int version, List<LinkHistory> links) {}

    private final StateFile file;
    private final int perLink;
    private final int maxLinks;
    private final Map<String, LinkHistory> byKey = new LinkedHashMap<>();

    LinkHistoryStore(StateFile file, int perLink, int maxLinks) {
        this.file = file;
        this.perLink = Math.max(1, perLink);
        this.maxLinks = Math.max(1, maxLinks);
        file.read(Document.class).ifPresent(d -> {
            if (d.links() != null) {
                d.links().forEach(l -> byKey.put(key(l.a(), l.b()), l));
            }
        });
    }

    static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    /** Records what a refresh saw; true when something changed that is worth writing. */
    synchronized boolean observe(String a, String b, String status, String reason, Instant now) {
        String key = key(a, b);
        String first = a.compareTo(b) <= 0 ? a : b;
        String second = first.equals(a) ? b : a;
        LinkHistory old = byKey.get(key);
        Instant lastGood = HEALTHY.equals(status) ? now : old == null ? null : old.lastGoodAt();
        if (old != null && old.status().equals(status)) {
            if (HEALTHY.equals(status)) {
                byKey.put(
                        key,
                        new LinkHistory(
                                first, second, status, old.since(), old.flapCount(), lastGood, old.transitions()));
                return true;
            }
            return false;
        }
        String from = old == null ? UNKNOWN : old.status();
        List<LinkHistory.Transition> transitions = new ArrayList<>(old == null ? List.of() : old.transitions());
        transitions.add(new LinkHistory.Transition(now, from, status, reason));
        if (transitions.size() > perLink) {
            transitions = new ArrayList<>(transitions.subList(transitions.size() - perLink, transitions.size()));
        }
        int flaps =
                (old == null ? 0 : old.flapCount()) + (HEALTHY.equals(from) && !DISCONNECTED.equals(status) ? 1 : 0);
        byKey.remove(key);
        byKey.put(key, new LinkHistory(first, second, status, now, flaps, lastGood, List.copyOf(transitions)));
        while (byKey.size() > maxLinks) {
            byKey.remove(byKey.values().stream()
                    .min(Comparator.comparing(LinkHistory::since))
                    .map(l -> key(l.a(), l.b()))
                    .orElseThrow());
        }
        return true;
    }

    synchronized List<LinkHistory> all() {
        return List.copyOf(byKey.values());
    }

    synchronized Optional<LinkHistory> find(String a, String b) {
        return Optional.ofNullable(byKey.get(key(a, b)));
    }

    synchronized boolean save() {
        return file.write(new Document(1, List.copyOf(byKey.values())));
    }
}
