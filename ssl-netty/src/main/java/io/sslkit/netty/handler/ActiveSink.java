package io.sslkit.netty.handler;

import io.netty.channel.ChannelHandlerContext;

/**
 * Where {@link ActiveModeHandler} puts active messages. Called on the event loop, in order: data, then
 * {@link #passive()} right after the message that spent an {@code active} count, then {@link #end} after the last
 * message.
 */
public interface ActiveSink {

    /** One message: a {@link io.netty.buffer.ByteBuf} the sink must release, or a decoded packet object. */
    void data(Object message, int size);

    /**
     * One message, with the callback that says it was consumed (any thread, once). The handler counts the bytes
     * of messages not yet consumed against its high watermark ({@link ActiveModeHandler#withHighWatermark}). The
     * default hands the message to {@link #data(Object, int)} and counts it consumed when that returns.
     */
    default void data(Object message, int size, Runnable consumed) {
        try {
            data(message, size);
        } finally {
            consumed.run();
        }
    }

    /** An {@code active} count ran out (or was set to a total {@code <= 0}): Erlang's {@code {ssl_passive, S}}. */
    void passive();

    /** The stream ended, after every message before it (active readers only). */
    void end(StreamEnd end);

    /**
     * The stream ended: called once, as soon as it is known (whatever the mode), before queued messages are taken.
     * For reactions that must not wait for a reader, such as {@code exit_on_close}.
     */
    default void streamEnded(StreamEnd end) {
    }

    /** The default: fires messages down the pipeline, and {@link PassiveEvent}/{@link StreamEnd} as user events. */
    final class Pipeline implements ActiveSink {
        private final ChannelHandlerContext ctx;

        public Pipeline(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void data(Object message, int size) {
            ctx.fireChannelRead(message);
        }

        @Override
        public void passive() {
            ctx.fireUserEventTriggered(PassiveEvent.INSTANCE);
        }

        @Override
        public void end(StreamEnd end) {
            ctx.fireUserEventTriggered(end);
        }
    }
}
