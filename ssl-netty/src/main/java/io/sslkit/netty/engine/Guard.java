package io.sslkit.netty.engine;

import io.netty.channel.ChannelHandler;
import java.util.Objects;

/**
 * A handler an engine needs in the pipeline, with the name it goes by ({@code pipeline.addLast(g.name(),
 * g.handler())}); a new handler per connection.
 *
 * @param name    the pipeline name ({@code alpn-guard}, {@code renegotiate-at}, ...)
 * @param handler the handler
 */
public record Guard(String name, ChannelHandler handler) {

    public Guard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
    }
}
