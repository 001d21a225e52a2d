package io.clustermesh.controller.reachability;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * etcd's native API, {@code etcdserverpb.KV/Range} over gRPC (HTTP/2), as Cilium's own etcd client
 * talks to the clustermesh-apiserver. Unlike the JSON gateway, etcd then maps the client cert's CN
 * to an etcd user (§3.6), so the answer is exactly what a remote cluster's agents would get.
 */
final class GrpcExchange implements RangeExchange {
    static final String RANGE_METHOD = "/etcdserverpb.KV/Range";
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    @Override
    public String applicationProtocol() {
        return ApplicationProtocolNames.HTTP_2;
    }

    @Override
    public void addHandlers(Channel channel, ProbeAttempt attempt) {
        channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), new AnswerHandler(attempt));
    }

    @Override
    public void send(Channel channel, SslHandler ssl, ProbeAttempt attempt) {
        if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
            attempt.finish(new ProbeResult.Failed(
                    attempt.elapsed(), "the endpoint did not negotiate HTTP/2; it is not an etcd gRPC server"));
            return;
        }
        attempt.stage("waiting for etcd to answer " + RANGE_METHOD);
        KvstoreProbeTarget target = attempt.target();
        AnswerHandler handler = channel.pipeline().get(AnswerHandler.class);
        Http2FrameStream stream = handler.newStream();
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .scheme("https")
                .authority(target.verifiedName() + ":" + target.port())
                .path(RANGE_METHOD)
                .set("content-type", "application/grpc")
                .set("te", "trailers");
        byte[] message =
                EtcdRangeMessages.rangeRequest(ClusterConfigAnswer.key(target).getBytes(StandardCharsets.UTF_8));
        // gRPC length-prefixed message: 1 byte "compressed" flag, 4 bytes big-endian length.
        ByteBuf frame = Unpooled.buffer(5 + message.length)
                .writeByte(0)
                .writeInt(message.length)
                .writeBytes(message);
        channel.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
        channel.writeAndFlush(new DefaultHttp2DataFrame(frame, true).stream(stream))
                .addListener(written -> {
                    if (!written.isSuccess()) {
                        attempt.fail(written.cause());
                    }
                });
    }

    private static final class AnswerHandler extends Http2ChannelDuplexHandler {
        private final ProbeAttempt attempt;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private String httpStatus;

        AnswerHandler(ProbeAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    onHeaders(headers);
                } else if (msg instanceof Http2DataFrame data) {
                    onData(data);
                } else if (msg instanceof Http2ResetFrame reset) {
                    attempt.finish(new ProbeResult.Failed(
                            attempt.elapsed(), "etcd reset the gRPC stream (HTTP/2 error " + reset.errorCode() + ")"));
                } else if (msg instanceof Http2GoAwayFrame goAway) {
                    attempt.finish(new ProbeResult.Failed(
                            attempt.elapsed(),
                            "etcd closed the HTTP/2 connection (GOAWAY " + goAway.errorCode() + ")"));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onHeaders(Http2HeadersFrame frame) {
            Http2Headers headers = frame.headers();
            if (headers.status() != null) {
                httpStatus = headers.status().toString();
            }
            CharSequence grpcStatus = headers.get("grpc-status");
            if (grpcStatus != null) {
                onStatus(Integer.parseInt(grpcStatus.toString()), headers.get("grpc-message"));
            } else if (frame.isEndStream()) {
                attempt.finish(new ProbeResult.Failed(
                        attempt.elapsed(), "no gRPC status in etcd's answer (HTTP " + httpStatus + ")"));
            }
        }

        private void onData(Http2DataFrame data) {
            if (body.size() + data.content().readableBytes() > MAX_RESPONSE_BYTES) {
                attempt.finish(new ProbeResult.Failed(attempt.elapsed(), "etcd's answer is larger than 1 MiB"));
                return;
            }
            byte[] bytes = new byte[data.content().readableBytes()];
            data.content().readBytes(bytes);
            body.writeBytes(bytes);
        }

        private void onStatus(int status, CharSequence grpcMessage) {
            KvstoreProbeTarget target = attempt.target();
            if (status != ClusterConfigAnswer.GRPC_OK) {
                String message =
                        grpcMessage == null ? "" : URLDecoder.decode(grpcMessage.toString(), StandardCharsets.UTF_8);
                attempt.finish(ClusterConfigAnswer.fromGrpcError(status, message, target, attempt.elapsed()));
                return;
            }
            byte[] framed = body.toByteArray();
            try {
                int length =
                        framed.length < 5 ? -1 : ByteBuffer.wrap(framed, 1, 4).getInt();
                if (length < 0 || framed[0] != 0 || framed.length < 5 + length) {
                    throw new IllegalArgumentException("not one uncompressed gRPC message");
                }
                byte[] message = Arrays.copyOfRange(framed, 5, 5 + length);
                attempt.finish(ClusterConfigAnswer.fromValue(
                        EtcdRangeMessages.firstValue(message), target, attempt.elapsed()));
            } catch (IllegalArgumentException e) {
                attempt.finish(
                        new ProbeResult.Failed(attempt.elapsed(), "unreadable RangeResponse: " + e.getMessage()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.fail(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attempt.finish(new ProbeResult.Failed(attempt.elapsed(), "connection closed while " + attempt.stage()));
            ctx.fireChannelInactive();
        }
    }
}
