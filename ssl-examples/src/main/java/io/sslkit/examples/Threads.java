package io.sslkit.examples;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread per task: virtual threads on Java 21+, platform threads on Java 17-20.
 *
 * <p>The library's baseline is Java 17, so {@code Executors.newVirtualThreadPerTaskExecutor()} cannot be named in
 * source. The Java version decides ({@link Runtime#version()}, no probing by trial); the factory is then bound once
 * with a {@link MethodHandle}, and any failure to bind falls back to platform threads. sslkit's blocking calls park
 * on {@code ReentrantLock}s and futures, so a virtual thread blocked in {@code recv} does not pin its carrier.
 */
final class Threads {

    private static final MethodHandle VIRTUAL_PER_TASK = bindVirtual();

    private Threads() {
    }

    /** Whether tasks run on virtual threads in this JVM. */
    static boolean virtual() {
        return VIRTUAL_PER_TASK != null;
    }

    /** An executor that starts a new thread for each task; platform threads are daemons named {@code prefix-N}. */
    static ExecutorService perTask(String prefix) {
        if (VIRTUAL_PER_TASK != null) {
            try {
                return (ExecutorService) VIRTUAL_PER_TASK.invokeExact();
            } catch (Throwable t) {
                // fall through: platform threads always work
            }
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newCachedThreadPool(daemons);
    }

    private static MethodHandle bindVirtual() {
        if (Runtime.version().feature() < 21) {
            return null; // preview-only (19, 20) or absent (17, 18)
        }
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
