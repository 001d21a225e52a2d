package io.clustermesh.controller.operations;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs mutations in the background and keeps their records. At most one mutating operation runs
 * per cluster; a second one is refused with 409 naming the running one. Readers never wait.
 */
@ApplicationScoped
public class OperationService {
    private static final Logger LOG = Logger.getLogger(OperationService.class);
    private static final int KEPT = 200;

    private final Map<String, Record> operations = new ConcurrentHashMap<>();
    private final Map<String, String> runningByCluster = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "operation");
        t.setDaemon(true);
        return t;
    });
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Event<ClustersChanged> changed;

    /** Outside the service (one-shot tools): nobody holds views to refresh. */
    public OperationService(Clock clock, MeterRegistry metrics) {
        this(clock, metrics, null);
    }

    @Inject
    public OperationService(Clock clock, MeterRegistry metrics, Event<ClustersChanged> changed) {
        this.clock = clock;
        this.metrics = metrics;
        this.changed = changed;
    }

    void stop(@Observes ShutdownEvent event) {
        runner.shutdownNow();
    }

    /**
     * Starts {@code work} unless one of {@code clusters} already has an operation running.
     * The work throws to fail; its ProblemException message becomes the operation's error.
     */
    public Operation submit(String kind, String target, String requestedBy, Collection<String> clusters, Consumer<OperationContext> work) {
        return submit(kind, target, requestedBy, clusters, List.of(), work);
    }

    /** As above, with the plan's warnings kept in the operation's record. */
    public Operation submit(String kind, String target, String requestedBy, Collection<String> clusters, List<String> warnings,
                            Consumer<OperationContext> work) {
        String id = UUID.randomUUID().toString();
        Record record = new Record(id, kind, target, requestedBy, clock.instant(), List.copyOf(warnings));
        synchronized (runningByCluster) {
            for (String cluster : clusters) {
                String running = runningByCluster.get(cluster);
                if (running != null) {
                    throw new ProblemException(ProblemType.OPERATION_IN_PROGRESS,
                            "cluster " + cluster + " has operation " + running + " (" + operations.get(running).kind + ") running; wait for it or watch /api/v1/operations/" + running,
                            "cluster");
                }
            }
            clusters.forEach(c -> runningByCluster.put(c, id));
        }
        record.lockedClusters = Set.copyOf(clusters);
        operations.put(id, record);
        trim();
        runner.submit(() -> run(record, work));
        return record.view();
    }

    public Optional<Operation> find(String id) {
        return Optional.ofNullable(operations.get(id)).map(Record::view);
    }

    public List<Operation> recent() {
        return operations.values().stream().sorted(Comparator.comparing((Record r) -> r.createdAt).reversed())
                .map(Record::view).toList();
    }

    /** Waits for an operation to finish (tests, the one-shot tools). */
    public Operation await(String id, java.time.Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Operation op = find(id).orElseThrow();
            if (op.state().finished()) {
                return op;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return find(id).orElseThrow();
    }

    private void run(Record record, Consumer<OperationContext> work) {
        Timer.Sample sample = Timer.start(metrics);
        record.state = Operation.State.running;
        LOG.infof("operation %s %s %s started by %s", record.id, record.kind, record.target, record.requestedBy);
        Operation.State outcome = Operation.State.succeeded;
        String error = null;
        ProblemType errorType = null;
        try {
            work.accept(record);
        } catch (ProblemException e) {
            outcome = Operation.State.failed;
            error = e.getMessage();
            errorType = e.type();
        } catch (RuntimeException e) {
            LOG.errorf("operation %s failed unexpectedly: %s", record.id, e.getClass().getName());
            outcome = Operation.State.failed;
            error = "unexpected " + e.getClass().getSimpleName() + "; re-running converges once the cause is fixed";
            errorType = ProblemType.INTERNAL;
        } finally {
            // Release the clusters before publishing the outcome, so whoever sees "finished" can start the next one.
            synchronized (runningByCluster) {
                record.lockedClusters.forEach(c -> runningByCluster.remove(c, record.id));
            }
            announceChange(record);
            record.finishedAt = clock.instant();
            record.error = error;
            record.errorType = errorType;
            record.state = outcome;
            sample.stop(metrics.timer("clustermesh.operation.duration", "kind", record.kind, "result", outcome.name()));
            metrics.counter("clustermesh.operations", "kind", record.kind, "result", outcome.name()).increment();
            LOG.infof("operation %s %s %s: %s%s", record.id, record.kind, record.target, outcome, error == null ? "" : " (" + error + ")");
        }
    }

    /** Lock keys that are not cluster names (the probe runs' lock holds a '/') change no cluster. */
    private void announceChange(Record record) {
        Set<String> clusters = record.lockedClusters.stream().filter(c -> !c.contains("/")).collect(java.util.stream.Collectors.toSet());
        if (clusters.isEmpty() || changed == null) {
            return;
        }
        try {
            changed.fire(new ClustersChanged(clusters, record.kind + " " + record.target));
        } catch (RuntimeException e) {
            LOG.warnf("refreshing the views after operation %s failed: %s", record.id, e.toString());
        }
    }

    private void trim() {
        if (operations.size() <= KEPT) {
            return;
        }
        operations.values().stream().filter(r -> r.state.finished())
                .sorted(Comparator.comparing(r -> r.createdAt))
                .limit(operations.size() - KEPT)
                .forEach(r -> operations.remove(r.id));
    }

    private final class Record implements OperationContext {
        final String id;
        final String kind;
        final String target;
        final String requestedBy;
        final Instant createdAt;
        volatile Operation.State state = Operation.State.pending;
        final List<String> warnings;
        volatile String error;
        volatile ProblemType errorType;
        volatile Instant finishedAt;
        Set<String> lockedClusters = Set.of();
        private final Map<String, Operation.Step> steps = new LinkedHashMap<>();

        Record(String id, String kind, String target, String requestedBy, Instant createdAt, List<String> warnings) {
            this.id = id;
            this.warnings = warnings;
            this.kind = kind;
            this.target = target;
            this.requestedBy = requestedBy;
            this.createdAt = createdAt;
        }

        synchronized Operation view() {
            List<Operation.Step> list = new ArrayList<>(steps.values());
            int done = (int) list.stream().filter(s -> s.state().equals("succeeded")).count();
            return new Operation(id, kind, target, requestedBy, state, new Operation.Progress(done, list.size()), list,
                    warnings.isEmpty() ? null : warnings, error, errorType == null ? null : errorType.uri(), createdAt, finishedAt);
        }

        @Override
        public String operationId() {
            return id;
        }

        @Override
        public synchronized void plan(List<String> stepNames) {
            stepNames.forEach(this::addStep);
        }

        @Override
        public synchronized void addStep(String step) {
            steps.putIfAbsent(step, new Operation.Step(step, "pending", null, null, null));
        }

        @Override
        public synchronized void start(String step) {
            steps.put(step, new Operation.Step(step, "running", null, clock.instant(), null));
        }

        @Override
        public synchronized void succeed(String step, String message) {
            Operation.Step previous = steps.get(step);
            steps.put(step, new Operation.Step(step, "succeeded", message, previous == null ? clock.instant() : previous.startedAt(), clock.instant()));
        }

        @Override
        public synchronized void fail(String step, String message) {
            Operation.Step previous = steps.get(step);
            steps.put(step, new Operation.Step(step, "failed", message, previous == null ? clock.instant() : previous.startedAt(), clock.instant()));
        }
    }
}
