package io.clustermesh.controller.reachability;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops every probe shares, plus a few threads for blocking name resolution. Probes are
 * I/O-bound and short, so a couple of loops serve a whole reachability matrix; creating a group per
 * probe would cost threads and seconds of shutdown.
 */
public final class NettyEventLoops implements AutoCloseable {
    private final EventLoopGroup group;
    private final ExecutorService blocking;

    public NettyEventLoops() {
        this(2);
    }

    public NettyEventLoops(int threads) {
        this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("probe-loop", true));
        AtomicInteger count = new AtomicInteger();
        this.blocking = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "probe-resolver-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public EventLoopGroup group() {
        return group;
    }

    /** For calls that block (the JDK resolver); callers bound them with their own deadline. */
    ExecutorService blocking() {
        return blocking;
    }

    @Override
    public void close() {
        blocking.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
