package io.clustermesh.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.clustermesh.controller.config.StateDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The audit trail: an append-only JSON-lines file under the state dir, one line per mutation
 * attempt by a known caller. Retention: an entry is evicted only when it is older than
 * {@code mesh.audit.retention} and the trail holds more than {@code mesh.audit.max-entries};
 * evicted lines leave the file when it is compacted (rewritten aside, synced, renamed over it), so
 * no burst of requests can push a recent operator entry out. Each line is written
 * and forced to the disk (fdatasync) before the response leaves, so neither a killed process nor
 * a lost machine loses an entry it already answered; one channel stays open, so an entry costs a
 * write and a sync, not an open and a close. Refusals answered on a Vert.x event loop (401 from the
 * pre-matching auth filter) must not block it on the disk: there the line is written at once
 * (a SIGKILL loses nothing) and a single background thread forces it moments later. A write
 * failure is logged and never fails the request: the audit must not become an outage.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final String FILE = "audit.jsonl";
    static final String PREVIOUS = "audit.jsonl.1";

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Path file;
    private final Path previous;
    private final int maxEntries;
    private final Duration retention;
    private final Clock clock;
    private final Deque<AuditEntry> recent = new ArrayDeque<>();
    private int linesInFile;
    private boolean writeFailureReported;
    private FileChannel out;
    private final java.util.concurrent.ExecutorService syncer =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "audit-sync");
                t.setDaemon(true);
                return t;
            });
    /** Entries known to be on the disk (test seam for the durability promise). */
    private long synced;

    @jakarta.inject.Inject
    public AuditLog(AuditConfig config, StateDirectory stateDirectory, Clock clock) {
        this(stateDirectory.path(), config.audit().maxEntries(), config.audit().retention(), clock);
    }

    AuditLog(Path stateDir, int maxEntries) {
        this(stateDir, maxEntries, Duration.ZERO, Clock.systemUTC());
    }

    AuditLog(Path stateDir, int maxEntries, Duration retention, Clock clock) {
        this.file = stateDir.resolve(FILE);
        this.previous = stateDir.resolve(PREVIOUS);
        this.maxEntries = Math.max(1, maxEntries);
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            LOG.warnf(
                    "audit: cannot create state dir %s (%s); entries stay in memory only",
                    stateDir, e.getClass().getSimpleName());
        }
        // audit.jsonl.1 is what versions before retention rolled over to; its entries move into the one file.
        boolean legacy = Files.isRegularFile(previous);
        load(previous);
        linesInFile = load(file);
        terminateCutLine();
        evictExpired();
        if (legacy || linesInFile > recent.size()) {
            compact();
        }
    }

    public synchronized void record(AuditEntry entry) {
        recent.addLast(entry);
        evictExpired();
        try {
            // The new entry counts as a line: a compaction writes it along with the rest, forced, so it is durable.
            if (linesInFile + 1 - recent.size() >= compactionSlack()) {
                compact();
                if (linesInFile == recent.size()) {
                    synced++;
                    writeFailureReported = false;
                    return;
                }
            }
            boolean created = out == null && !Files.exists(file);
            if (out == null) {
                out = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            ByteBuffer line = ByteBuffer.wrap((json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                out.write(line);
            }
            linesInFile++;
            if (io.vertx.core.Context.isOnEventLoopThread()) {
                syncer.execute(() -> force(created));
            } else {
                out.force(false);
                if (created) {
                    syncDirectory();
                }
                synced++;
            }
            writeFailureReported = false;
        } catch (IOException e) {
            closeChannel();
            if (!writeFailureReported) {
                LOG.warnf(
                        "audit: cannot append to %s (%s); entries stay in memory until it works again",
                        file, e.getClass().getSimpleName());
                writeFailureReported = true;
            }
        }
    }

    private synchronized void force(boolean created) {
        try {
            if (out != null) {
                out.force(false);
            }
            if (created) {
                syncDirectory();
            }
            synced++;
        } catch (IOException e) {
            closeChannel();
        }
    }

    /** Drops from memory the oldest entries that are both beyond the size and older than the retention. */
    private void evictExpired() {
        Instant horizon = clock.instant().minus(retention);
        while (recent.size() > maxEntries
                && recent.peekFirst().time() != null
                && recent.peekFirst().time().isBefore(horizon)) {
            recent.removeFirst();
        }
    }

    /** Evicted lines the file may carry before it is rewritten: a tenth of the size, so a rewrite is rare. */
    private int compactionSlack() {
        return Math.max(1, maxEntries / 10);
    }

    /**
     * Rewrites the file with exactly the kept entries: written aside, forced, renamed over the
     * old one (atomic), so a crash leaves either the old or the new file, never a mix.
     */
    private void compact() {
        Path aside = file.resolveSibling(FILE + ".compacting");
        try {
            if (out != null) {
                out.force(false);
            }
            closeChannel();
            StringBuilder all = new StringBuilder();
            for (AuditEntry kept : recent) {
                all.append(json.writeValueAsString(kept)).append('\n');
            }
            try (FileChannel channel = FileChannel.open(
                    aside, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(all.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(previous);
            syncDirectory();
            linesInFile = recent.size();
        } catch (IOException e) {
            LOG.warnf(
                    "audit: cannot compact %s (%s); it keeps its evicted lines for now",
                    file, e.getClass().getSimpleName());
        }
    }

    synchronized long syncedEntries() {
        return synced;
    }

    /** A new file (first entry, or after a rollover) is only durable once its directory entry is. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened; the entry's own data is synced already.
        }
    }

    private void closeChannel() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // reopened on the next entry
            }
            out = null;
        }
    }

    /** Newest first. */
    public synchronized List<AuditEntry> recent(int limit) {
        List<AuditEntry> list = new ArrayList<>(recent);
        Collections.reverse(list);
        return list.subList(0, Math.min(Math.max(0, limit), list.size()));
    }

    public int capacity() {
        return maxEntries;
    }

    /** A crash mid-line leaves no newline; the next entry must start on a line of its own. */
    private void terminateCutLine() {
        try {
            if (Files.size(file) > 0) {
                byte[] all = Files.readAllBytes(file);
                if (all[all.length - 1] != '\n') {
                    Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            // no file yet, or unreadable: record() reports write problems
        }
    }

    private int load(Path path) {
        if (!Files.isRegularFile(path)) {
            return 0;
        }
        int lines = 0;
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                lines++;
                try {
                    recent.addLast(json.readValue(line, AuditEntry.class));
                } catch (IOException e) {
                    // A line cut short by a crash: the rest of the trail is still good.
                }
            }
        } catch (IOException e) {
            LOG.warnf("audit: cannot read %s (%s)", path, e.getClass().getSimpleName());
        }
        return lines;
    }
}
