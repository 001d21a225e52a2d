package io.clustermesh.controller.tailscale;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A minimal HTTP/1.1 client on Netty: one connection per request ({@code Connection: close}),
 * the whole response aggregated in memory, and a hard per-call deadline that closes the
 * connection. One connection per call is enough for API polling every 30–60 s (§1) and keeps
 * LocalAPI pings, which block server-side until a pong (§9), from poisoning a pool.
 */
public final class NettyHttpClient implements AutoCloseable {

    static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final boolean epoll;
    private final SslContext sslContext;
    private final ExecutorService resolver = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tailscale-http-resolver");
        t.setDaemon(true);
        return t;
    });

    public NettyHttpClient(HttpsTrust trust) {
        this(trust, 1);
    }

    public NettyHttpClient(HttpsTrust trust, int ioThreads) {
        // Epoll is preferred because it is the only Netty 4.1 transport with Unix sockets (§7).
        this.epoll = Epoll.isAvailable();
        this.group = epoll ? new EpollEventLoopGroup(ioThreads) : new NioEventLoopGroup(ioThreads);
        this.sslContext = SslContexts.forClient(trust);
    }

    /** Sends and waits; the wait never exceeds {@code timeout} (plus scheduling slack). */
    public HttpResponse send(HttpRequestSpec request, Duration timeout) throws IOException {
        CompletableFuture<HttpResponse> future = sendAsync(request, timeout);
        try {
            return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + request);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException(request + " timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(request + " failed: " + cause, cause);
        }
    }

    public CompletableFuture<HttpResponse> sendAsync(HttpRequestSpec request, Duration timeout) {
        CompletableFuture<HttpResponse> result = new CompletableFuture<>();
        Bootstrap bootstrap;
        try {
            bootstrap = bootstrapFor(request.target(), result, timeout);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        AtomicReference<Channel> channel = new AtomicReference<>();
        ScheduledFuture<?> deadline = group.next()
                .schedule(
                        () -> {
                            result.completeExceptionally(new HttpTimeoutException(
                                    request + " timed out after " + timeout.toMillis() + " ms"));
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        // Whatever ends the call (answer, error, deadline, cancel) also ends the connection.
        result.whenComplete((r, e) -> {
            deadline.cancel(false);
            Channel c = channel.get();
            if (c != null) {
                c.close();
            }
        });
        resolve(request.target()).whenComplete((address, failure) -> {
            if (failure != null) {
                result.completeExceptionally(connectFailure(request.target(), failure));
                return;
            }
            ChannelFuture connect = bootstrap.connect(address);
            channel.set(connect.channel());
            if (result.isDone()) {
                connect.channel().close();
                return;
            }
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    result.completeExceptionally(connectFailure(request.target(), f.cause()));
                    return;
                }
                connect.channel().writeAndFlush(toNetty(request)).addListener(w -> {
                    if (!w.isSuccess()) {
                        result.completeExceptionally(sendFailure(request, w.cause()));
                    }
                });
            });
        });
        return result;
    }

    /**
     * Host names are resolved off the event loop, inside the call's deadline: Netty's default
     * resolver blocks the loop, which would stall LocalAPI pings sharing it.
     */
    private CompletableFuture<SocketAddress> resolve(HttpTarget target) {
        if (target instanceof HttpTarget.UnixSocket unix) {
            return CompletableFuture.completedFuture(
                    new DomainSocketAddress(unix.path().toFile()));
        }
        HttpTarget.Tcp tcp = (HttpTarget.Tcp) target;
        return CompletableFuture.supplyAsync(
                () -> {
                    InetSocketAddress address = new InetSocketAddress(tcp.host(), tcp.port());
                    if (address.isUnresolved()) {
                        throw new CompletionException(new UnknownHostException(tcp.host()));
                    }
                    return address;
                },
                resolver);
    }

    private Bootstrap bootstrapFor(HttpTarget target, CompletableFuture<HttpResponse> result, Duration timeout)
            throws IOException {
        Bootstrap b = new Bootstrap().group(group).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        if (target instanceof HttpTarget.UnixSocket) {
            if (!epoll) {
                throw new IOException(
                        "Unix domain sockets need Netty's native epoll transport, which is unavailable here");
            }
            b.channel(EpollDomainSocketChannel.class);
        } else {
            b.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
        }
        return b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (target instanceof HttpTarget.Tcp tcp && tcp.tls()) {
                    ch.pipeline().addLast(sslHandler(ch, tcp));
                }
                ch.pipeline()
                        .addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                new ResponseCollector(result));
            }
        });
    }

    private SslHandler sslHandler(Channel ch, HttpTarget.Tcp tcp) {
        SslHandler handler = sslContext.newHandler(ch.alloc(), tcp.host(), tcp.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        // Netty does not check the host name by itself; without this any trusted cert would do.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }

    private static IOException connectFailure(HttpTarget target, Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String where = target instanceof HttpTarget.UnixSocket u
                ? "socket " + u.path()
                : ((HttpTarget.Tcp) target).authority();
        ConnectException e = new ConnectException("cannot connect to " + where + ": " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /** With TLS the write is what fails when the handshake does; say so, it is the useful part. */
    private static IOException sendFailure(HttpRequestSpec request, Throwable cause) {
        Throwable tls = cause;
        while (tls != null && !(tls instanceof SSLException)) {
            tls = tls.getCause();
        }
        String what =
                tls != null ? "TLS handshake failed: " + tls.getMessage() : "sending failed: " + cause.getMessage();
        return new IOException(request + ": " + what, cause);
    }

    private static FullHttpRequest toNetty(HttpRequestSpec spec) {
        FullHttpRequest req = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(spec.method()),
                spec.pathAndQuery(),
                Unpooled.wrappedBuffer(spec.body()));
        if (spec.target() instanceof HttpTarget.Tcp tcp) {
            req.headers().set(HttpHeaderNames.HOST, tcp.authority());
        }
        req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        req.headers().set(HttpHeaderNames.CONTENT_LENGTH, spec.body().length);
        for (Map.Entry<String, String> h : spec.headers().entrySet()) {
            req.headers().set(h.getKey(), h.getValue());
        }
        return req;
    }

    @Override
    public void close() {
        resolver.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
