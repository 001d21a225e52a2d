package io.clustermesh.controller.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The page's static files as URL paths (the index, the stylesheet and every ES module), read from the sources. */
final class PageAssets {
    private static final Path ROOT = Path.of("src/main/resources/META-INF/resources");

    private PageAssets() {}

    static List<String> modules() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".js"))
                    .map(f -> "/" + ROOT.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> all() {
        return Stream.concat(Stream.of("/", "/index.html", "/app.css"), modules().stream())
                .toList();
    }
}
