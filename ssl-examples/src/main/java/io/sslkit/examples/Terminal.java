package io.sslkit.examples;

import java.io.Console;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the process's stderr is a terminal, which the JDK does not say directly.
 *
 * <p>On Linux, {@code /proc/self/fd/2} names what stderr is: a terminal is a {@code /dev/pts/N} or {@code /dev/ttyN}
 * device. Elsewhere, {@link System#console()} is the best the JDK offers: an interactive session, where stderr is
 * the terminal too unless redirected (Java 22+ always has a console object, so its {@code isTerminal()} is asked).
 */
final class Terminal {

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | SecurityException e) {
                return false; // unknown: plain output is always safe
            }
        }
        Console console = System.console();
        if (console == null || Runtime.version().feature() < 22) {
            return console != null;
        }
        try {
            return (boolean) MethodHandles.publicLookup()
                    .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class))
                    .invoke(console);
        } catch (Throwable t) {
            return false;
        }
    }
}
