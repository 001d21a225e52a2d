package io.clustermesh.controller.operations;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Operation records on disk ({@code <mesh.state-dir>/operations/<id>.json}), one file each,
 * replaced atomically at every change, so that after a crash the service can say which operation
 * was interrupted and at which step instead of answering 404 (issue 15). A disk failure is logged
 * once and never fails an operation: the record stays in memory.
 */
final class OperationJournal {
    private static final Logger LOG = Logger.getLogger(OperationJournal.class);
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path dir;
    private volatile boolean failureReported;

    OperationJournal(Path dir) {
        this.dir = dir;
    }

    /** No journal: nothing survives a restart (tools that run one operation and exit). */
    static OperationJournal none() {
        return new OperationJournal(null);
    }

    void save(Operation operation) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path aside = dir.resolve(operation.id() + ".json.tmp");
            Files.write(aside, json.writeValueAsBytes(operation));
            Files.move(
                    aside,
                    dir.resolve(operation.id() + ".json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            failureReported = false;
        } catch (IOException e) {
            if (!failureReported) {
                LOG.warnf(
                        "operations: cannot write to %s (%s); records stay in memory only",
                        dir, e.getClass().getSimpleName());
                failureReported = true;
            }
        }
    }

    void delete(String id) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(id + ".json"));
        } catch (IOException e) {
            // an old record left on disk is trimmed again at the next start
        }
    }

    List<Operation> load() {
        List<Operation> loaded = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return loaded;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .toList()) {
                try {
                    loaded.add(json.readValue(file.toFile(), Operation.class));
                } catch (IOException e) {
                    LOG.warnf(
                            "operations: skipping unreadable record %s (%s)",
                            file.getFileName(), e.getClass().getSimpleName());
                }
            }
        } catch (IOException e) {
            LOG.warnf("operations: cannot list %s (%s)", dir, e.getClass().getSimpleName());
        }
        return loaded;
    }
}
