package io.clustermesh.controller.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** A directory this process made for one run (the demo's kubeconfigs and state), removed again on a clean stop. */
public record TemporaryDirectory(Path path) {
    private static final Logger LOG = Logger.getLogger(TemporaryDirectory.class);

    public static TemporaryDirectory create(String prefix) {
        try {
            return new TemporaryDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory " + prefix + "*", e);
        }
    }

    /** Removes the directory and everything in it; a file that cannot be removed is logged, not thrown. */
    public void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warnf("cannot remove %s (%s)", file, e.getClass().getSimpleName());
                }
            });
        } catch (IOException e) {
            LOG.warnf("cannot remove %s (%s)", path, e.getClass().getSimpleName());
        }
    }
}
