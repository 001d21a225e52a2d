package io.clustermesh.controller.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real binary (openssl, wg, etcdctl) with a timeout. A missing binary fails the test with
 * an install hint instead of skipping it: these tests are the proof that our output interoperates.
 */
public final class ExternalCommand {
    private ExternalCommand() {}

    public record Result(int exitCode, String stdout, String stderr) {
        public String stdoutTrimmed() {
            return stdout.strip();
        }
    }

    /** Fails the calling test unless {@code path} is an executable file. */
    public static Path requireBinary(String path, String aptPackage) {
        Path binary = Path.of(path);
        if (!Files.isExecutable(binary)) {
            fail(path + " is missing; install it with `apt-get install -y " + aptPackage + "`");
        }
        return binary;
    }

    public static Result run(List<String> command, String stdin, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> out = readAsync(process.getInputStream());
            CompletableFuture<String> err = readAsync(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    public static Result run(List<String> command) {
        return run(command, null, Duration.ofSeconds(30));
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<unreadable: " + e.getMessage() + ">";
            }
        });
    }
}
