package io.sslkit.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leaked buffer while (or shortly after) it ran.
 *
 * <p>Registered for every test class by auto-detection ({@code junit-platform.properties} and
 * {@code META-INF/services}). Netty reports leaks through its logger ({@code java.util.logging} here, as no SLF4J is
 * on the test class path) when a tracked buffer is collected unreleased; after each class this extension collects
 * garbage and allocates, which makes the detector look, then fails the class with every report it saw.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = collect();
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " leak(s) in or after "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", found));
        }
    }

    /** Forces the detector to look, then returns (and clears) every leak reported so far. */
    public static List<String> collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // Allocation is when the detector polls its reference queue.
            for (int j = 0; j < 16; j++) {
                ByteBuf a = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
                a.release();
                ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
                b.release();
            }
        }
        synchronized (LEAKS) {
            List<String> out = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return out;
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Logger logger = Logger.getLogger(ResourceLeakDetector.class.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String msg = r.getMessage();
                if (r.getLevel().intValue() >= Level.SEVERE.intValue() && msg != null && msg.contains("LEAK")) {
                    Object[] params = r.getParameters();
                    String text = params == null ? msg : msg + " " + java.util.Arrays.toString(params);
                    synchronized (LEAKS) {
                        LEAKS.add(text);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
