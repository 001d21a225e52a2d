package io.clustermesh.controller.contexts;

import io.clustermesh.controller.config.MeshConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Asks every cluster the same question in parallel, each under its own deadline, so the answer
 * comes as fast as the slowest healthy cluster and a dead one costs at most its deadline.
 */
@ApplicationScoped
public class FanOut {

    /** The answer of one cluster: a value, or why there is none. */
    public record Answer<T>(T value, String error, boolean timedOut) {
        public boolean ok() {
            return error == null;
        }
    }

    private static final long IDLE_THREAD_SECONDS = 5;

    private final ExecutorService workers;
    private final Duration defaultDeadline;

    public FanOut(MeshConfig config) {
        this.defaultDeadline = config.client().perClusterDeadline();
        AtomicInteger count = new AtomicInteger();
        // Cluster calls block on I/O; an unbounded pool keeps one slow cluster from queueing the
        // others. Idle threads go after a few seconds, well before the next health refresh: a
        // refresh of N clusters briefly needs dozens of them, and each one kept costs memory.
        this.workers = new ThreadPoolExecutor(
                0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "cluster-call-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The cluster-call threads, for work inside one cluster's answer (its agents, asked at once). */
    public java.util.concurrent.Executor executor() {
        return workers;
    }

    public Duration defaultDeadline() {
        return defaultDeadline;
    }

    public <K, T> Map<K, Answer<T>> ask(Collection<K> targets, Function<K, T> question) {
        return ask(targets, question, defaultDeadline);
    }

    public <K, T> Map<K, Answer<T>> ask(Collection<K> targets, Function<K, T> question, Duration deadline) {
        Map<K, CompletableFuture<T>> futures = new LinkedHashMap<>();
        for (K target : targets) {
            futures.put(target, CompletableFuture.supplyAsync(() -> question.apply(target), workers));
        }
        long until = System.nanoTime() + deadline.toNanos();
        Map<K, Answer<T>> answers = new LinkedHashMap<>();
        List<CompletableFuture<T>> late = new ArrayList<>();
        for (var entry : futures.entrySet()) {
            long left = Math.max(0, until - System.nanoTime());
            try {
                answers.put(
                        entry.getKey(), new Answer<>(entry.getValue().get(left, TimeUnit.NANOSECONDS), null, false));
            } catch (TimeoutException e) {
                late.add(entry.getValue());
                answers.put(
                        entry.getKey(), new Answer<>(null, "no answer within " + deadline.toMillis() + " ms", true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answers.put(entry.getKey(), new Answer<>(null, "interrupted", false));
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                String message = cause instanceof io.clustermesh.controller.problems.ProblemException p
                        ? p.getMessage()
                        : cause.getClass().getSimpleName();
                answers.put(entry.getKey(), new Answer<>(null, message, false));
            }
        }
        late.forEach(f -> f.cancel(true));
        return answers;
    }
}
