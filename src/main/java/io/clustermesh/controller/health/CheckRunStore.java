package io.clustermesh.controller.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The latest one-shot check results, newest first, bounded, in their own state file. */
final class CheckRunStore {
    static final String FILE_NAME = "check-runs.json";

    record Document(int version, List<CheckRun> runs) {}

    private final StateFile file;
    private final int kept;
    private final List<CheckRun> runs = new ArrayList<>();

    CheckRunStore(StateFile file, int kept) {
        this.file = file;
        this.kept = Math.max(1, kept);
        file.read(Document.class).ifPresent(d -> {
            if (d.runs() != null) {
                runs.addAll(d.runs().subList(0, Math.min(d.runs().size(), this.kept)));
            }
        });
    }

    synchronized void add(CheckRun run) {
        runs.add(0, run);
        while (runs.size() > kept) {
            runs.remove(runs.size() - 1);
        }
        file.write(new Document(1, List.copyOf(runs)));
    }

    synchronized List<CheckRun> all() {
        return List.copyOf(runs);
    }

    synchronized Optional<CheckRun> lastSuccess() {
        return runs.stream().filter(r -> r.exitCode() == 0).findFirst();
    }
}
