package io.sslkit.examples.proxy;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * POSIX signals for a long-running command: SIGTERM (graceful stop) and SIGHUP (reload). {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}, present in every JDK since 9) is the only way to keep the JVM running on SIGTERM
 * while a drain finishes; a shutdown hook cannot keep accepting {@code stop} semantics apart from a hard exit.
 * {@link #close()} puts the previous handlers back (the command also runs inside test JVMs).
 */
public final class Signals implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    /** Handles {@code name} ({@code TERM}, {@code HUP}) with {@code action}, run on the JVM's signal thread. */
    public Signals on(String name, Runnable action) {
        try {
            Signal s = new Signal(name);
            previous.add(Signal.handle(s, sig -> action.run()));
            signals.add(s);
        } catch (IllegalArgumentException e) {
            // this platform (or the JVM's -Xrs) does not let us handle it: the default action stays
        }
        return this;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
