package io.sslkit.netty.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.concurrent.Future;
import io.sslkit.Active;
import io.sslkit.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ActiveModeHandler} on its own, in an {@link EmbeddedChannel}. */
class ActiveModeHandlerTest {

    private EmbeddedChannel ch;
    private ActiveModeHandler handler;
    private final List<Object> seen = new ArrayList<>();
    private int reads;

    @BeforeEach
    void setUp() {
        handler = new ActiveModeHandler(t -> new Reason.Unexpected(t.getMessage()));
        ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads++;
                ctx.read();
            }
        });
        ch.pipeline().addLast(handler);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                seen.add(b.toString(StandardCharsets.UTF_8));
                b.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                seen.add(evt);
            }
        });
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    private void in(String s) {
        ch.writeInbound(ByteBufUtil.writeUtf8(ch.alloc(), s));
    }

    private void setActive(Active a) {
        handler.setActive(a);
        ch.runPendingTasks();
    }

    private String recv(int len) throws Exception {
        Future<Object> f = handler.recv(len, -1);
        ch.runPendingTasks();
        assertThat(f.isSuccess()).as("recv(%d) done", len).isTrue();
        ByteBuf b = (ByteBuf) f.getNow();
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    @Test
    void passiveQueuesWithoutDeliveringOrReading() {
        in("abc");
        in("def");
        assertThat(seen).isEmpty();
        assertThat(reads).isZero();
        assertThat(handler.queuedBytes()).isEqualTo(6);
    }

    @Test
    void onceDeliversOneMessageThenGoesPassive() {
        in("abc");
        in("def");
        setActive(Active.ONCE);
        assertThat(seen).containsExactly("abcdef"); // raw: everything queued is one message
        assertThat(handler.active()).isEqualTo(Active.FALSE);
        in("ghi");
        assertThat(seen).containsExactly("abcdef");
    }

    @Test
    void onceWithAnEmptyQueueAsksForARead() {
        setActive(Active.ONCE);
        assertThat(reads).isEqualTo(1);
        in("x");
        assertThat(seen).containsExactly("x");
    }

    @Test
    void countDeliversNMessagesThenPassiveRightAfterTheLast() {
        setActive(Active.count(2));
        in("a");
        in("b");
        in("c");
        assertThat(seen).containsExactly("a", "b", PassiveEvent.INSTANCE);
        assertThat(handler.active()).isEqualTo(Active.FALSE);
        assertThat(handler.queuedBytes()).isEqualTo(1);
    }

    @Test
    void aNonPositiveTotalFiresPassiveAtOnceAndAnOverflowIsRefused() {
        setActive(Active.count(3));
        setActive(Active.count(-3));
        assertThat(seen).containsExactly(PassiveEvent.INSTANCE);
        setActive(Active.count(Active.MAX_COUNT));
        Future<Void> f = handler.setActive(Active.count(1));
        ch.runPendingTasks();
        assertThat(f.cause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(handler.active()).isEqualTo(Active.count(Active.MAX_COUNT));
    }

    @Test
    void aPassiveReaderIsReadAheadOfUpToTheLimitAndNoFurther() throws Exception {
        in("x");
        assertThat(reads).as("nobody has read yet: the data stays in the kernel").isZero();
        assertThat(recv(0)).isEqualTo("x");
        assertThat(reads).as("a recv loop is running: read ahead of it").isEqualTo(1);
        String chunk = "y".repeat(16 * 1024);
        int expectedReads = 1;
        for (int queued = chunk.length(); queued <= ActiveModeHandler.READ_AHEAD; queued += chunk.length()) {
            in(chunk);
            if (queued < ActiveModeHandler.READ_AHEAD) {
                expectedReads++;
            }
            assertThat(reads).as("reads with %d bytes queued", queued).isEqualTo(expectedReads);
        }
        assertThat(handler.queuedBytes()).isGreaterThanOrEqualTo(ActiveModeHandler.READ_AHEAD);
        assertThat(recv(0)).hasSizeGreaterThanOrEqualTo(ActiveModeHandler.READ_AHEAD);
        assertThat(reads).as("the queue drained: read ahead again").isEqualTo(expectedReads + 1);
    }

    @Test
    void anActiveOnceLoopIsReadAheadOfToo() {
        setActive(Active.ONCE);
        in("a");
        assertThat(seen).containsExactly("a");
        assertThat(reads).as("passive again, but being read: the next setopts should find data").isEqualTo(2);
        in("b");
        assertThat(seen).containsExactly("a");
        setActive(Active.ONCE);
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void recvTakesExactlyNAndKeepsTheSurplus() throws Exception {
        in("hello world");
        assertThat(recv(5)).isEqualTo("hello");
        assertThat(recv(0)).isEqualTo(" world");
    }

    @Test
    void aRecvThatWaitsAsksForReadsAndIsServedAcrossChunks() throws Exception {
        Future<Object> f = handler.recv(4, -1);
        ch.runPendingTasks();
        assertThat(reads).isEqualTo(1);
        in("ab");
        assertThat(f.isDone()).isFalse();
        in("cdef");
        ByteBuf b = (ByteBuf) f.getNow();
        assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo("abcd");
        b.release();
        assertThat(handler.queuedBytes()).isEqualTo(2);
    }

    @Test
    void aRecvTimeoutConsumesNothing() throws Exception {
        in("ab");
        Future<Object> f = handler.recv(4, 50);
        ch.runPendingTasks();
        assertThat(f.isDone()).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!f.isDone() && System.nanoTime() < deadline) {
            ch.runScheduledPendingTasks(); // the timer fires on the channel's (embedded) executor
        }
        assertThat(((RecvException) f.cause()).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(recv(2)).isEqualTo("ab");
    }

    @Test
    void recvWhileActiveIsEinval() {
        setActive(Active.TRUE);
        Future<Object> f = handler.recv(0, -1);
        ch.runPendingTasks();
        assertThat(((RecvException) f.cause()).reason()).isEqualTo(Reason.EINVAL);
    }

    @Test
    void dataFiredAfterTheCloseEventInTheSameReadComesBeforeTheEnd() {
        setActive(Active.TRUE);
        ch.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        in("late but first"); // as SslHandler does: close event, then the data decoded in the same read
        ch.pipeline().fireChannelReadComplete();
        assertThat(seen).containsSubsequence("late but first", StreamEnd.CLOSED);
        assertThat(seen.indexOf("late but first")).isLessThan(seen.indexOf(StreamEnd.CLOSED));
    }

    @Test
    void anErrorReachesAPassiveReaderAfterTheQueuedData() throws Exception {
        in("data");
        ch.pipeline().fireExceptionCaught(new SSLException("boom"));
        ch.runPendingTasks();
        assertThat(recv(0)).isEqualTo("data");
        Future<Object> f = handler.recv(0, -1);
        ch.runPendingTasks();
        assertThat(((RecvException) f.cause()).reason()).isEqualTo(new Reason.Unexpected("boom"));
    }

    @Test
    void pausedHoldsDeliveryAndReadsBackUntilResumed() {
        setActive(Active.TRUE);
        int readsBefore = reads;
        handler.setPaused(true);
        ch.runPendingTasks();
        in("held");
        assertThat(seen).isEmpty();
        assertThat(reads).isEqualTo(readsBefore);
        handler.setPaused(false);
        ch.runPendingTasks();
        assertThat(seen).containsExactly("held");
    }

    @Test
    void bytesQueuedWhenTheChannelClosesStayReadableAndNothingLeaks() throws Exception {
        in("kept");
        ch.close();
        ch.runPendingTasks();
        assertThat(recv(0)).isEqualTo("kept");
        Future<Object> f = handler.recv(0, -1);
        ch.runPendingTasks();
        assertThat(((RecvException) f.cause()).reason()).isEqualTo(Reason.CLOSED);
    }
}
