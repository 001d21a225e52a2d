package io.clustermesh.controller.reachability;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.IPAddress;
import org.jboss.logging.Logger;

/**
 * The kvstore probe: connects to a clustermesh-apiserver's etcd as a remote cluster's agents would
 * (TLS, client cert, server name check; contract §5.3) and reads
 * {@code cilium/cluster-config/<expected name>} (§9) to prove the endpoint serves the expected
 * cluster. Never throws for network outcomes; every call ends by its deadline.
 */
public final class KvstoreProbe {
    private static final Logger LOG = Logger.getLogger(KvstoreProbe.class);

    /** How to ask etcd. */
    public enum Transport {
        /**
         * etcd's gRPC API, like Cilium's client. The default: the only transport that works once
         * etcd auth is on, which Cilium's {@code etcdinit} always enables (§3.1, §3.6).
         */
        GRPC(new GrpcExchange()),
        /**
         * etcd's JSON gateway ({@code POST /v3/kv/range}, §9). etcd refuses client-cert gateway
         * requests when auth is on, so this only reaches etcds without auth (tests, external etcd).
         */
        JSON_GATEWAY(new GatewayExchange());

        private final RangeExchange exchange;

        Transport(RangeExchange exchange) {
            this.exchange = exchange;
        }
    }

    /** Name resolution, replaceable so tests can play the part of Cilium's hostAliases. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private final NettyEventLoops loops;
    private final Transport transport;
    private final HostResolver resolver;

    public KvstoreProbe(NettyEventLoops loops) {
        this(loops, Transport.GRPC, InetAddress::getByName);
    }

    public KvstoreProbe(NettyEventLoops loops, Transport transport) {
        this(loops, transport, InetAddress::getByName);
    }

    public KvstoreProbe(NettyEventLoops loops, Transport transport, HostResolver resolver) {
        this.loops = loops;
        this.transport = transport;
        this.resolver = resolver;
    }

    /** Blocks for at most {@code timeout} (plus scheduling noise). */
    public ProbeResult probe(KvstoreProbeTarget target, Duration timeout) {
        return probeAsync(target, timeout).join();
    }

    /**
     * Never completes exceptionally.
     *
     * @throws io.clustermesh.controller.problems.ProblemException at once, for unreadable PEM input
     */
    public CompletableFuture<ProbeResult> probeAsync(KvstoreProbeTarget target, Duration timeout) {
        SslContext tls = ProbeTls.contextFor(target, transport.exchange.applicationProtocol());
        return new Attempt(target, tls, timeout)
                .start()
                .whenComplete((result, failure) -> LOG.debugf(
                        "kvstore probe %s:%d (%s/%d, %s): %s",
                        target.host(),
                        target.port(),
                        target.expectedClusterName(),
                        target.expectedClusterId(),
                        transport,
                        result));
    }

    /** One probe: the deadline timer, the channel, and the first outcome decided. */
    private final class Attempt implements ProbeAttempt {
        private final KvstoreProbeTarget target;
        private final SslContext tls;
        private final Duration timeout;
        private final RangeExchange exchange = transport.exchange;
        private final long startNanos = System.nanoTime();
        private final CompletableFuture<ProbeResult> outcome = new CompletableFuture<>();
        private volatile String stage;
        private volatile Channel channel;

        Attempt(KvstoreProbeTarget target, SslContext tls, Duration timeout) {
            this.target = target;
            this.tls = tls;
            this.timeout = timeout;
            this.stage = "resolving " + target.host();
        }

        CompletableFuture<ProbeResult> start() {
            ScheduledFuture<?> timer = loops.group()
                    .schedule(
                            () -> finish(new ProbeResult.Timeout(elapsed(), stage)),
                            timeout.toNanos(),
                            TimeUnit.NANOSECONDS);
            outcome.whenComplete((result, failure) -> {
                timer.cancel(false);
                closeChannel();
            });
            if (IPAddress.isValid(target.host())) {
                resolveAndConnect();
            } else {
                try {
                    loops.blocking().execute(this::resolveAndConnect);
                } catch (RejectedExecutionException e) {
                    finish(new ProbeResult.Failed(elapsed(), "probe event loops are closed"));
                }
            }
            return outcome;
        }

        private void resolveAndConnect() {
            InetAddress address;
            try {
                address = resolver.resolve(target.host());
            } catch (UnknownHostException e) {
                finish(new ProbeResult.Unresolved(elapsed(), target.host()));
                return;
            } catch (RuntimeException e) {
                finish(new ProbeResult.Failed(elapsed(), "resolving " + target.host() + " failed: " + e.getMessage()));
                return;
            }
            if (!outcome.isDone()) {
                connect(new InetSocketAddress(address, target.port()));
            }
        }

        private void connect(InetSocketAddress address) {
            stage = "connecting to " + describe(address);
            int remainingMillis = (int) Math.max(
                    1, timeout.minusNanos(System.nanoTime() - startNanos).toMillis());
            ChannelFuture connected = new Bootstrap()
                    .group(loops.group())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, remainingMillis)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ProbeTls.handlerFor(tls, ch.alloc(), target));
                            exchange.addHandlers(ch, Attempt.this);
                        }
                    })
                    .connect(address);
            channel = connected.channel();
            if (outcome.isDone()) {
                closeChannel();
            }
            connected.addListener(result -> {
                if (result.isSuccess()) {
                    stage = "TLS handshake with " + describe(address) + " as " + target.verifiedName();
                    awaitHandshake(connected.channel());
                } else {
                    finish(connectFailure(result.cause(), address));
                }
            });
        }

        /**
         * Listened to only once connected: a failed connect also fails the handshake future
         * ("SslHandler removed"), which must not turn a refusal into a TLS error.
         */
        private void awaitHandshake(Channel ch) {
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    exchange.send(ch, ssl, this);
                } else {
                    fail(handshake.cause());
                }
            });
        }

        private ProbeResult connectFailure(Throwable cause, InetSocketAddress address) {
            if (cause instanceof ConnectTimeoutException) {
                return new ProbeResult.Timeout(elapsed(), stage);
            }
            if (cause instanceof ConnectException
                    && String.valueOf(cause.getMessage()).contains("refused")) {
                return new ProbeResult.Refused(elapsed(), describe(address));
            }
            return new ProbeResult.Failed(
                    elapsed(), "cannot connect to " + describe(address) + ": " + cause.getMessage());
        }

        @Override
        public KvstoreProbeTarget target() {
            return target;
        }

        @Override
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        @Override
        public void stage(String stage) {
            this.stage = stage;
        }

        @Override
        public String stage() {
            return stage;
        }

        @Override
        public void finish(ProbeResult result) {
            outcome.complete(result);
        }

        @Override
        public void fail(Throwable cause) {
            if (TlsFailures.isTls(cause)) {
                finish(new ProbeResult.TlsError(elapsed(), TlsFailures.reason(cause, target.verifiedName())));
            } else {
                finish(new ProbeResult.Failed(
                        elapsed(), stage + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            }
        }

        private void closeChannel() {
            Channel current = channel;
            if (current != null) {
                current.close();
            }
        }

        private String describe(InetSocketAddress address) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
    }
}
