package io.clustermesh.controller.operations;

import io.clustermesh.controller.config.StateDirectory;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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
import org.jboss.logging.Logger;

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
    private final OperationJournal journal;
    /** Records from before the last start: read-only; the unfinished ones are {@code interrupted}. */
    private final Map<String, Operation> earlier = new ConcurrentHashMap<>();

    /** Outside the service (one-shot tools): nobody holds views to refresh. */
    public OperationService(Clock clock, MeterRegistry metrics) {
        this(clock, metrics, OperationJournal.none(), null);
    }

    /** Records journalled under {@code stateDir}/operations (tests, tools). */
    public OperationService(Clock clock, MeterRegistry metrics, String stateDir) {
        this(clock, metrics, new OperationJournal(java.nio.file.Path.of(stateDir, "operations")), null);
    }

    @Inject
    public OperationService(
            Clock clock, MeterRegistry metrics, StateDirectory stateDirectory, Event<ClustersChanged> changed) {
        this(clock, metrics, new OperationJournal(stateDirectory.path().resolve("operations")), changed);
    }

    private OperationService(
            Clock clock, MeterRegistry metrics, OperationJournal journal, Event<ClustersChanged> changed) {
        this.clock = clock;
        this.metrics = metrics;
        this.journal = journal;
        this.changed = changed;
        restore();
    }

    /** Operations the last run left unfinished were cut off by its end: they are listed as interrupted, with where and how to resume. */
    private void restore() {
        List<Operation> loaded = new ArrayList<>(journal.load());
        loaded.sort(Comparator.comparing(Operation::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed());
        for (int i = 0; i < loaded.size(); i++) {
            Operation op = loaded.get(i);
            if (i >= KEPT) {
                journal.delete(op.id());
                continue;
            }
            if (!op.state().finished()) {
                op = interrupted(op, clock.instant());
                journal.save(op);
                LOG.warnf(
                        "operation %s %s %s was interrupted by a stop of the service: %s",
                        op.id(), op.kind(), op.target(), op.error());
            }
            earlier.put(op.id(), op);
        }
    }

    static Operation interrupted(Operation op, Instant now) {
        List<Operation.Step> steps = op.steps() == null ? List.of() : op.steps();
        String reached = steps.stream()
                .filter(s -> "running".equals(s.state()))
                .map(Operation.Step::name)
                .findFirst()
                .or(() -> steps.stream()
                        .filter(s -> "pending".equals(s.state()))
                        .map(Operation.Step::name)
                        .findFirst())
                .orElse("before its first step");
        List<Operation.Step> marked = steps.stream()
                .map(s -> "running".equals(s.state())
                        ? new Operation.Step(
                                s.name(), "interrupted", "the service stopped during this step", s.startedAt(), now)
                        : s)
                .toList();
        String error =
                "interrupted by a stop of the service at step '" + reached + "'; " + resumeHint(op.kind(), op.target())
                        + " (operations converge: a re-run finishes what is left and changes nothing already done)";
        return new Operation(
                op.id(),
                op.kind(),
                op.target(),
                op.requestedBy(),
                Operation.State.interrupted,
                op.progress(),
                marked,
                op.warnings(),
                error,
                null,
                op.createdAt(),
                now);
    }

    /** The request that resumes an operation of this kind on this target. */
    static String resumeHint(String kind, String target) {
        String[] pair = target == null ? new String[0] : target.split(",");
        return switch (kind) {
            case "enable" -> "resume with PUT /api/v1/clusters/" + target + "/clustermesh";
            case "disable" -> "resume with DELETE /api/v1/clusters/" + target + "/clustermesh";
            case "connect" ->
                pair.length == 2
                        ? "resume with PUT /api/v1/links/" + pair[0] + "/" + pair[1]
                        : "resume with POST /api/v1/mesh/connect {\"clusters\": ["
                                + String.join(
                                        ", ",
                                        java.util.Arrays.stream(pair)
                                                .map(p -> "\"" + p + "\"")
                                                .toList()) + "]}";
            case "disconnect" ->
                pair.length == 2
                        ? "resume with DELETE /api/v1/links/" + pair[0] + "/" + pair[1]
                        : "re-run the disconnect";
            case "certificate-rotation" ->
                "resume with POST /api/v1/clusters/" + target + "/certificates/rotations (the same body)";
            case "wireguard-rotation" ->
                "resume with POST /api/v1/clusters/" + target + "/wireguard/rotations (it continues where it stopped)";
            default -> "run the same request again";
        };
    }

    void stop(@Observes ShutdownEvent event) {
        runner.shutdownNow();
    }

    /**
     * Starts {@code work} unless one of {@code clusters} already has an operation running.
     * The work throws to fail; its ProblemException message becomes the operation's error.
     */
    public Operation submit(
            String kind,
            String target,
            String requestedBy,
            Collection<String> clusters,
            Consumer<OperationContext> work) {
        return submit(kind, target, requestedBy, clusters, List.of(), work);
    }

    /** As above, with the plan's warnings kept in the operation's record. */
    public Operation submit(
            String kind,
            String target,
            String requestedBy,
            Collection<String> clusters,
            List<String> warnings,
            Consumer<OperationContext> work) {
        return start(reserve(kind, target, requestedBy, clusters), warnings, work);
    }

    /**
     * Takes the locks of an operation before anything is read for its plan, so the plan is made
     * from what no other operation of this service can change until it ends. All locks are taken
     * at once or none (a busy one answers 409 naming its operation), in sorted order, so two
     * operations never wait on each other. Closing a reservation that was never started releases
     * it (planning refused the request).
     */
    public Reservation reserve(String kind, String target, String requestedBy, Collection<String> locks) {
        return reserve(kind, target, requestedBy, locks, List.of(), java.time.Duration.ZERO);
    }

    /**
     * As {@link #reserve(String, String, String, Collection)}, but a busy lock in {@code queued}
     * is waited for (up to {@code maxWait}) instead of refused. Nothing is held while waiting, so
     * waiting can never deadlock.
     */
    public Reservation reserve(
            String kind,
            String target,
            String requestedBy,
            Collection<String> locks,
            Collection<String> queued,
            java.time.Duration maxWait) {
        String id = UUID.randomUUID().toString();
        Record record = new Record(id, kind, target, requestedBy, clock.instant());
        List<String> ordered = java.util.stream.Stream.concat(locks.stream(), queued.stream())
                .distinct()
                .sorted()
                .toList();
        long until = System.nanoTime() + maxWait.toNanos();
        synchronized (runningByCluster) {
            while (true) {
                checkFree(ordered.stream().filter(l -> !queued.contains(l)).toList());
                List<String> waitingFor =
                        queued.stream().filter(runningByCluster::containsKey).toList();
                long left = until - System.nanoTime();
                if (waitingFor.isEmpty() || left <= 0) {
                    checkFree(waitingFor);
                    break;
                }
                try {
                    runningByCluster.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProblemException(ProblemType.INTERNAL, "interrupted while waiting for " + waitingFor);
                }
            }
            record.lockedClusters = Set.copyOf(ordered);
            operations.put(id, record);
            ordered.forEach(c -> runningByCluster.put(c, id));
        }
        trim();
        return new Reservation(record);
    }

    /** Gives one lock back before the operation ends (its part of the work is written), waking whoever queues for it. */
    public void releaseEarly(String operationId, String lock) {
        synchronized (runningByCluster) {
            if (runningByCluster.remove(lock, operationId)) {
                Record record = operations.get(operationId);
                if (record != null) {
                    Set<String> rest = new java.util.TreeSet<>(record.lockedClusters);
                    rest.remove(lock);
                    record.lockedClusters = Set.copyOf(rest);
                }
                runningByCluster.notifyAll();
            }
        }
    }

    private void checkFree(List<String> locks) {
        for (String lock : locks) {
            String running = runningByCluster.get(lock);
            if (running != null) {
                Record holder = operations.get(running);
                throw new ProblemException(
                        ProblemType.OPERATION_IN_PROGRESS,
                        (lock.contains(" ") ? lock : "cluster " + lock) + " has operation " + running + " ("
                                + (holder == null ? "?" : holder.kind)
                                + ") running; wait for it or watch /api/v1/operations/" + running,
                        "cluster");
            }
        }
    }

    /** Runs the work of a reserved operation in the background; the locks are released when it ends. */
    public Operation start(Reservation reservation, Consumer<OperationContext> work) {
        return start(reservation, List.of(), work);
    }

    /** As above, keeping the plan's warnings (Helm-managed Cilium, NAT) in the operation's record. */
    public Operation start(Reservation reservation, List<String> warnings, Consumer<OperationContext> work) {
        reservation.record.warnings = List.copyOf(warnings);
        reservation.started = true;
        journal.save(reservation.record.view());
        runner.submit(() -> run(reservation.record, work));
        return reservation.record.view();
    }

    /** The locks of one operation between {@link #reserve} and {@link #start}. */
    public final class Reservation implements AutoCloseable {
        private final Record record;
        private boolean started;

        private Reservation(Record record) {
            this.record = record;
        }

        public String id() {
            return record.id;
        }

        public Set<String> locks() {
            return record.lockedClusters;
        }

        /** Takes further locks, all or none, when reading showed the operation writes more clusters than it first knew. */
        public void extend(Collection<String> more) {
            synchronized (runningByCluster) {
                List<String> missing = more.stream()
                        .filter(l -> !record.lockedClusters.contains(l))
                        .distinct()
                        .sorted()
                        .toList();
                checkFree(missing);
                missing.forEach(l -> runningByCluster.put(l, record.id));
                Set<String> all = new java.util.TreeSet<>(record.lockedClusters);
                all.addAll(missing);
                record.lockedClusters = Set.copyOf(all);
            }
        }

        @Override
        public void close() {
            if (started) {
                return;
            }
            synchronized (runningByCluster) {
                record.lockedClusters.forEach(c -> runningByCluster.remove(c, record.id));
                operations.remove(record.id);
                runningByCluster.notifyAll();
            }
        }
    }

    public Optional<Operation> find(String id) {
        return Optional.ofNullable(operations.get(id)).map(Record::view).or(() -> Optional.ofNullable(earlier.get(id)));
    }

    public List<Operation> recent() {
        return java.util.stream.Stream.concat(operations.values().stream().map(Record::view), earlier.values().stream())
                .sorted(Comparator.comparing(Operation::createdAt).reversed())
                .toList();
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
        journal.save(record.view());
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
            LOG.errorf(
                    "operation %s failed unexpectedly: %s",
                    record.id, e.getClass().getName());
            outcome = Operation.State.failed;
            error = "unexpected " + e.getClass().getSimpleName() + "; re-running converges once the cause is fixed";
            errorType = ProblemType.INTERNAL;
        } finally {
            // Release the clusters before publishing the outcome, so whoever sees "finished" can start the next one.
            synchronized (runningByCluster) {
                record.lockedClusters.forEach(c -> runningByCluster.remove(c, record.id));
                runningByCluster.notifyAll();
            }
            announceChange(record);
            record.finishedAt = clock.instant();
            record.error = error;
            record.errorType = errorType;
            record.state = outcome;
            journal.save(record.view());
            sample.stop(metrics.timer("clustermesh.operation.duration", "kind", record.kind, "result", outcome.name()));
            metrics.counter("clustermesh.operations", "kind", record.kind, "result", outcome.name())
                    .increment();
            LOG.infof(
                    "operation %s %s %s: %s%s",
                    record.id, record.kind, record.target, outcome, error == null ? "" : " (" + error + ")");
        }
    }

    /** Lock keys that are not cluster names (the probe runs' lock holds a '/', the shared-CA lock a space) change no cluster. */
    private void announceChange(Record record) {
        Set<String> clusters = record.lockedClusters.stream()
                .filter(c -> !c.contains("/") && !c.contains(" "))
                .collect(java.util.stream.Collectors.toSet());
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
        operations.values().stream()
                .filter(r -> r.state.finished())
                .sorted(Comparator.comparing(r -> r.createdAt))
                .limit(operations.size() - KEPT)
                .forEach(r -> {
                    operations.remove(r.id);
                    journal.delete(r.id);
                });
    }

    private final class Record implements OperationContext {
        final String id;
        final String kind;
        final String target;
        final String requestedBy;
        final Instant createdAt;
        volatile Operation.State state = Operation.State.pending;
        volatile String error;
        volatile ProblemType errorType;
        volatile List<String> warnings = List.of();
        volatile Instant finishedAt;
        volatile Set<String> lockedClusters = Set.of();
        private final Map<String, Operation.Step> steps = new LinkedHashMap<>();

        Record(String id, String kind, String target, String requestedBy, Instant createdAt) {
            this.id = id;
            this.kind = kind;
            this.target = target;
            this.requestedBy = requestedBy;
            this.createdAt = createdAt;
        }

        synchronized Operation view() {
            List<Operation.Step> list = new ArrayList<>(steps.values());
            int done = (int)
                    list.stream().filter(s -> s.state().equals("succeeded")).count();
            return new Operation(
                    id,
                    kind,
                    target,
                    requestedBy,
                    state,
                    new Operation.Progress(done, list.size()),
                    list,
                    warnings.isEmpty() ? null : warnings,
                    error,
                    errorType == null ? null : errorType.uri(),
                    createdAt,
                    finishedAt);
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
            journal.save(view());
        }

        @Override
        public synchronized void start(String step) {
            steps.put(step, new Operation.Step(step, "running", null, clock.instant(), null));
            journal.save(view());
        }

        @Override
        public synchronized void succeed(String step, String message) {
            Operation.Step previous = steps.get(step);
            steps.put(
                    step,
                    new Operation.Step(
                            step,
                            "succeeded",
                            message,
                            previous == null ? clock.instant() : previous.startedAt(),
                            clock.instant()));
            journal.save(view());
        }

        @Override
        public synchronized void fail(String step, String message) {
            Operation.Step previous = steps.get(step);
            steps.put(
                    step,
                    new Operation.Step(
                            step,
                            "failed",
                            message,
                            previous == null ? clock.instant() : previous.startedAt(),
                            clock.instant()));
            journal.save(view());
        }
    }
}
