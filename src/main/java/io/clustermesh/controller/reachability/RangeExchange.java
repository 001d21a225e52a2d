package io.clustermesh.controller.reachability;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/** One way of asking etcd for the cluster-config key over an established TLS connection. */
interface RangeExchange {
    /** ALPN protocol to offer, or null for none. */
    String applicationProtocol();

    /** Adds the codec and answer handlers behind the {@link SslHandler}. */
    void addHandlers(Channel channel, ProbeAttempt attempt);

    /** Called once the TLS handshake succeeded. */
    void send(Channel channel, SslHandler ssl, ProbeAttempt attempt);
}
