package io.sslkit.netty.internal;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * Works around a Netty 4.2.18 epoll bug that loses data on half-closed sockets.
 *
 * <p>Since netty/netty#16689, submitting an empty interest set ({@code EpollIoOps.NONE}) removes the file descriptor
 * from the epoll set ({@code EPOLL_CTL_DEL}), but the registration still believes it is added, so the next non-empty
 * interest set is sent as {@code EPOLL_CTL_MOD} and fails with {@code ENOENT}. An interest set only becomes empty
 * after the peer's FIN has been read with half-closure allowed (EPOLLIN and EPOLLRDHUP are both cleared); the first
 * write that then fills the socket buffer needs EPOLLOUT, fails, and Netty shuts the channel's output down: the
 * rest of an echo after the peer's {@code shutdown(write)} was lost (seen with strace: {@code shutdown(fd, SHUT_RD)},
 * {@code EPOLL_CTL_DEL}, then {@code EPOLL_CTL_MOD ... = -1 ENOENT}).
 *
 * <p>The fix, without touching Netty internals: each registration is wrapped; after an empty interest set, the next
 * non-empty one cancels the stale registration and registers the channel's handle again, which adds the descriptor
 * afresh ({@code EPOLL_CTL_ADD}). Everything runs on the channel's event loop, as Netty's own calls do. Remove this
 * class once a Netty release with a fixed {@code EpollIoHandler} and its native library can be used here.
 */
final class EpollRearm implements IoHandlerFactory {

    private final IoHandlerFactory delegate;

    EpollRearm(IoHandlerFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new Handler(delegate.newHandler(executor));
    }

    @Override
    public boolean isChangingThreadSupported() {
        return delegate.isChangingThreadSupported();
    }

    private static final class Handler implements IoHandler {
        private final IoHandler handler;

        Handler(IoHandler handler) {
            this.handler = handler;
        }

        @Override
        public void initialize() {
            handler.initialize();
        }

        @Override
        public int run(IoHandlerContext context) {
            return handler.run(context);
        }

        @Override
        public void prepareToDestroy() {
            handler.prepareToDestroy();
        }

        @Override
        public void destroy() {
            handler.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
            return new Registration(handler, handle, handler.register(handle));
        }

        @Override
        public void wakeup() {
            handler.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return handler.isCompatible(handleType);
        }
    }

    /** One channel's registration; only its event loop calls {@link #submit}. */
    private static final class Registration implements IoRegistration {
        private final IoHandler handler;
        private final IoHandle handle;
        private volatile IoRegistration current;
        /** The last interest set submitted was empty, so Netty took the descriptor out of the epoll set. */
        private boolean removed;

        Registration(IoHandler handler, IoHandle handle, IoRegistration current) {
            this.handler = handler;
            this.handle = handle;
            this.current = current;
        }

        @Override
        public <T> T attachment() {
            return current.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            boolean empty = ((EpollIoOps) ops).value() == EpollIoOps.NONE.value();
            if (!empty && removed && current.isValid()) {
                current.cancel(); // its EPOLL_CTL_DEL fails quietly: the descriptor is no longer in the set
                try {
                    current = handler.register(handle);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot re-add a socket to epoll", e);
                }
            }
            long result = current.submit(ops);
            removed = empty;
            return result;
        }

        @Override
        public boolean isValid() {
            return current.isValid();
        }

        @Override
        public boolean cancel() {
            return current.cancel();
        }
    }
}
