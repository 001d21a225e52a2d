package io.clustermesh.controller.reachability;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * etcd's v3 JSON gateway: {@code POST /v3/kv/range} over HTTP/1.1 (contract §9). Works only while
 * etcd auth is off: with auth on, etcd refuses gateway requests carrying a client cert CN.
 */
final class GatewayExchange implements RangeExchange {
    static final String RANGE_PATH = "/v3/kv/range";
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    @Override
    public String applicationProtocol() {
        return null;
    }

    @Override
    public void addHandlers(Channel channel, ProbeAttempt attempt) {
        channel.pipeline()
                .addLast(
                        new HttpClientCodec(),
                        new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                        new AnswerHandler(attempt));
    }

    @Override
    public void send(Channel channel, SslHandler ssl, ProbeAttempt attempt) {
        attempt.stage("waiting for etcd to answer " + RANGE_PATH);
        KvstoreProbeTarget target = attempt.target();
        byte[] key = ClusterConfigAnswer.key(target).getBytes(StandardCharsets.UTF_8);
        byte[] body =
                ("{\"key\":\"" + Base64.getEncoder().encodeToString(key) + "\"}").getBytes(StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, RANGE_PATH, Unpooled.wrappedBuffer(body));
        request.headers()
                .set(HttpHeaderNames.HOST, target.verifiedName() + ":" + target.port())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                attempt.fail(written.cause());
            }
        });
    }

    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final ProbeAttempt attempt;

        AnswerHandler(ProbeAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            String body = response.content().toString(StandardCharsets.UTF_8);
            attempt.finish(ClusterConfigAnswer.fromGateway(
                    response.status().code(), body, attempt.target(), attempt.elapsed()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.finish(new ProbeResult.Failed(attempt.elapsed(), "connection closed while " + attempt.stage()));
        }
    }
}
