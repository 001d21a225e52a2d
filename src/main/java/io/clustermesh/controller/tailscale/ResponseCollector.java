package io.clustermesh.controller.tailscale;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Last pipeline stage: turns the aggregated response (or the failure) into the call's result. */
final class ResponseCollector extends SimpleChannelInboundHandler<FullHttpResponse> {

    private final CompletableFuture<HttpResponse> result;

    ResponseCollector(CompletableFuture<HttpResponse> result) {
        this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
        Map<String, List<String>> headers = new HashMap<>();
        for (Map.Entry<String, String> h : msg.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(), k -> new ArrayList<>())
                    .add(h.getValue());
        }
        result.complete(new HttpResponse(msg.status().code(), headers, ByteBufUtil.getBytes(msg.content())));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(cause instanceof IOException ? cause : new IOException(cause.getMessage(), cause));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.completeExceptionally(new IOException("connection closed before a complete response"));
        super.channelInactive(ctx);
    }
}
