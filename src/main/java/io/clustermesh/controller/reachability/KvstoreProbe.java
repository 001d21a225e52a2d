package io.clustermesh.controller.reachability;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
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
 * {@code cilium/cluster-config/<expected name>} through etcd's JSON gateway (§9) to prove the
 * endpoint serves the expected cluster. Never throws for network outcomes; every call ends by its
 * deadline.
 */
public final class KvstoreProbe {
    private static final Logger LOG = Logger.getLogger(KvstoreProbe.class);
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final String RANGE_PATH = "/v3/kv/range";

    /** Name resolution, replaceable so tests can play the part of Cilium's hostAliases. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    private final NettyEventLoops loops;
    private final HostResolver resolver;

    public KvstoreProbe(NettyEventLoops loops) {
        this(loops, InetAddress::getByName);
    }

    public KvstoreProbe(NettyEventLoops loops, HostResolver resolver) {
        this.loops = loops;
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
        SslContext tls = ProbeTls.contextFor(target);
        CompletableFuture<ProbeResult> outcome = new Attempt(target, tls, timeout).start();
        return outcome.whenComplete((result, failure) ->
                LOG.debugf("kvstore probe %s:%d (%s/%d): %s", target.host(), target.port(),
                        target.expectedClusterName(), target.expectedClusterId(), result));
    }

    /** One probe's state: the deadline timer, the channel, and the first outcome decided. */
    private final class Attempt {
        private final KvstoreProbeTarget target;
        private final SslContext tls;
        private final Duration timeout;
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
            ScheduledFuture<?> timer = loops.group().schedule(
                    () -> finish(new ProbeResult.Timeout(elapsed(), stage)), timeout.toNanos(), TimeUnit.NANOSECONDS);
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
            }
            if (!outcome.isDone()) {
                connect(new InetSocketAddress(address, target.port()));
            }
        }

        private void connect(InetSocketAddress address) {
            stage = "connecting to " + describe(address);
            int remainingMillis = (int) Math.max(1, timeout.minusNanos(System.nanoTime() - startNanos).toMillis());
            ChannelFuture connected = new Bootstrap()
                    .group(loops.group())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, remainingMillis)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = ProbeTls.handlerFor(tls, ch.alloc(), target);
                            ssl.handshakeFuture().addListener(handshake -> {
                                if (handshake.isSuccess()) {
                                    sendRangeRequest(ch);
                                } else {
                                    finishWithFailure(handshake.cause());
                                }
                            });
                            ch.pipeline().addLast(ssl, new HttpClientCodec(),
                                    new HttpObjectAggregator(MAX_RESPONSE_BYTES), new AnswerHandler());
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
                } else {
                    finish(connectFailure(result.cause(), address));
                }
            });
        }

        private void sendRangeRequest(Channel ch) {
            stage = "waiting for etcd to answer " + RANGE_PATH;
            byte[] body = ClusterConfigAnswer.requestBody(target.expectedClusterName()).getBytes(StandardCharsets.UTF_8);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, RANGE_PATH,
                    Unpooled.wrappedBuffer(body));
            request.headers()
                    .set(HttpHeaderNames.HOST, target.verifiedName() + ":" + target.port())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    finishWithFailure(written.cause());
                }
            });
        }

        private ProbeResult connectFailure(Throwable cause, InetSocketAddress address) {
            if (cause instanceof ConnectTimeoutException) {
                return new ProbeResult.Timeout(elapsed(), stage);
            }
            if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
                return new ProbeResult.Refused(elapsed(), describe(address));
            }
            return new ProbeResult.Failed(elapsed(), "cannot connect to " + describe(address) + ": " + cause.getMessage());
        }

        private void finishWithFailure(Throwable cause) {
            if (TlsFailures.isTls(cause)) {
                finish(new ProbeResult.TlsError(elapsed(), TlsFailures.reason(cause, target.verifiedName())));
            } else {
                finish(new ProbeResult.Failed(elapsed(), stage + " failed: " + cause.getClass().getSimpleName()
                        + ": " + cause.getMessage()));
            }
        }

        private void finish(ProbeResult result) {
            outcome.complete(result);
        }

        private Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
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

        private final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                String body = response.content().toString(StandardCharsets.UTF_8);
                finish(ClusterConfigAnswer.interpret(response.status().code(), body, target, elapsed()));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                finishWithFailure(cause);
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                finish(new ProbeResult.Failed(elapsed(), "connection closed while " + stage));
            }
        }
    }
}
