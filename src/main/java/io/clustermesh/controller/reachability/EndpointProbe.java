package io.clustermesh.controller.reachability;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.util.IPAddress;

/**
 * The three checks from one vantage point, in order, each with its latency: TCP connect, then TLS
 * handshake with the mesh CA and the cluster-config read (one {@link KvstoreProbe} run). The whole
 * probe ends by its deadline.
 */
public final class EndpointProbe {
    private final KvstoreProbe kvstore;
    private final KvstoreProbe.HostResolver resolver;

    public EndpointProbe(KvstoreProbe kvstore, KvstoreProbe.HostResolver resolver) {
        this.kvstore = kvstore;
        this.resolver = resolver;
    }

    public ProbeOutcome probe(KvstoreProbeTarget target, Duration timeout) {
        long start = System.nanoTime();
        List<ReachabilityEntry.Check> checks = new ArrayList<>();
        InetAddress address;
        try {
            address = resolve(target.host(), timeout);
        } catch (UnknownHostException e) {
            checks.add(new ReachabilityEntry.Check("tcp", "unresolved", null, target.host() + " does not resolve"));
            return new ProbeOutcome(ProbeVerdict.UNRESOLVED, null, target.host() + " does not resolve", checks);
        } catch (TimeoutException e) {
            checks.add(new ReachabilityEntry.Check("tcp", "timeout", null, "resolving " + target.host()));
            return new ProbeOutcome(ProbeVerdict.TIMEOUT, null, "resolving " + target.host(), checks);
        }
        String where = address.getHostAddress() + ":" + target.port();
        long connectStart = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, target.port()), (int)
                    Math.max(1, remaining(start, timeout).toMillis()));
        } catch (SocketTimeoutException e) {
            checks.add(new ReachabilityEntry.Check("tcp", "timeout", null, "connecting to " + where));
            return new ProbeOutcome(ProbeVerdict.TIMEOUT, null, "connecting to " + where, checks);
        } catch (ConnectException e) {
            boolean refused = String.valueOf(e.getMessage()).toLowerCase().contains("refused");
            ProbeVerdict result = refused ? ProbeVerdict.REFUSED : ProbeVerdict.FAILED;
            checks.add(new ReachabilityEntry.Check("tcp", result.value(), null, where + ": " + e.getMessage()));
            return new ProbeOutcome(result, null, where + ": " + e.getMessage(), checks);
        } catch (IOException e) {
            checks.add(new ReachabilityEntry.Check("tcp", "failed", null, where + ": " + e.getMessage()));
            return new ProbeOutcome(ProbeVerdict.FAILED, null, where + ": " + e.getMessage(), checks);
        }
        double connectMs = millis(System.nanoTime() - connectStart);
        checks.add(new ReachabilityEntry.Check("tcp", "ok", connectMs, "connected to " + where));
        Duration left = remaining(start, timeout);
        if (left.isZero()) {
            checks.add(new ReachabilityEntry.Check("tls", "timeout", null, "no time left after connecting"));
            return new ProbeOutcome(ProbeVerdict.TIMEOUT, connectMs, "no time left after connecting", checks);
        }
        ProbeResult kv = kvstore.probe(target, left);
        return withKvstore(kv, connectMs, checks);
    }

    /** Turns the kvstore probe's answer into the tls and kvstore checks. */
    static ProbeOutcome withKvstore(ProbeResult kv, Double connectMs, List<ReachabilityEntry.Check> checks) {
        double ms = millis(kv.latency().toNanos());
        if (kv instanceof ProbeResult.Ok ok) {
            checks.add(new ReachabilityEntry.Check("tls", "ok", null, "handshake verified with the mesh CA"));
            checks.add(new ReachabilityEntry.Check(
                    "kvstore", "ok", ms, "cluster-config read: cluster id " + ok.clusterId()));
            return new ProbeOutcome(ProbeVerdict.OK, connectMs, null, checks);
        }
        if (kv instanceof ProbeResult.TlsError tls) {
            checks.add(new ReachabilityEntry.Check("tls", "tls-error", ms, tls.reason()));
            return new ProbeOutcome(ProbeVerdict.TLS_ERROR, connectMs, tls.reason(), checks);
        }
        if (kv instanceof ProbeResult.WrongCluster wrong) {
            checks.add(new ReachabilityEntry.Check("tls", "ok", null, "handshake verified with the mesh CA"));
            checks.add(new ReachabilityEntry.Check("kvstore", "wrong-cluster", ms, wrong.reason()));
            return new ProbeOutcome(ProbeVerdict.WRONG_CLUSTER, connectMs, wrong.reason(), checks);
        }
        if (kv instanceof ProbeResult.Timeout timeout) {
            boolean handshaking = timeout.stage().startsWith("TLS");
            checks.add(new ReachabilityEntry.Check(handshaking ? "tls" : "kvstore", "timeout", ms, timeout.stage()));
            return new ProbeOutcome(ProbeVerdict.TIMEOUT, connectMs, timeout.stage(), checks);
        }
        if (kv instanceof ProbeResult.Refused refused) {
            checks.add(new ReachabilityEntry.Check("tls", "refused", ms, refused.address()));
            return new ProbeOutcome(ProbeVerdict.REFUSED, connectMs, refused.address(), checks);
        }
        if (kv instanceof ProbeResult.Unresolved unresolved) {
            checks.add(new ReachabilityEntry.Check("tls", "unresolved", ms, unresolved.host()));
            return new ProbeOutcome(
                    ProbeVerdict.UNRESOLVED, connectMs, unresolved.host() + " does not resolve", checks);
        }
        String reason = ((ProbeResult.Failed) kv).reason();
        checks.add(new ReachabilityEntry.Check("kvstore", "failed", ms, reason));
        return new ProbeOutcome(ProbeVerdict.FAILED, connectMs, reason, checks);
    }

    private InetAddress resolve(String host, Duration timeout) throws UnknownHostException, TimeoutException {
        if (IPAddress.isValid(host)) {
            return InetAddress.getByName(host);
        }
        CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return resolver.resolve(host);
            } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            return lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UnknownHostException(host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    private static Duration remaining(long startNanos, Duration timeout) {
        Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
