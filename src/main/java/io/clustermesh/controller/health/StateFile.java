package io.clustermesh.controller.health;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One JSON document in the state directory, replaced atomically: written to a temporary file
 * in the same directory, forced to disk, then renamed over the old one. A crash mid-write
 * leaves the previous version intact, never half a file. An unreadable file is set aside
 * ({@code .corrupt}) and the state starts empty rather than stopping the service.
 */
final class StateFile {
    private static final Logger LOG = Logger.getLogger(StateFile.class);

    private final Path file;
    private boolean warned;

    StateFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    <T> Optional<T> read(Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(HealthJson.MAPPER.readValue(file.toFile(), type));
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.warnf(
                    "state file %s is unreadable (%s); moved to %s, starting empty",
                    file, e.getClass().getSimpleName(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // reading failed already; the next write replaces it
            }
            return Optional.empty();
        }
    }

    /** Writes {@code value}; false (logged once) when the directory is not writable. */
    synchronized boolean write(Object value) {
        Path temp = null;
        try {
            Files.createDirectories(file.getParent());
            temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            byte[] bytes = HealthJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            warned = false;
            return true;
        } catch (IOException e) {
            if (!warned) {
                LOG.warnf(
                        "cannot write state file %s (%s); keeping it in memory only until this works",
                        file, e.getClass().getSimpleName());
                warned = true;
            }
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            return false;
        }
    }
}
