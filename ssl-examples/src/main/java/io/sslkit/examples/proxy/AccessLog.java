package io.sslkit.examples.proxy;

import io.sslkit.netty.proxy.ConnectionRecord;
import io.sslkit.netty.proxy.ProxyListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --access-log FILE|-}: one {@link ConnectionRecord#toLine() key=value line} per connection when it ends.
 * Where the lines go is one small seam, a {@code Consumer<String>} ({@link #toFile}, {@link #to}), so a logging
 * facade can take the place of the file without touching the proxy. Lines are written on one thread of their own:
 * the event loops that report connections never wait for the disk.
 */
public final class AccessLog implements ProxyListener, AutoCloseable {

    private final Consumer<String> sink;
    private final PrintWriter resource;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sslkit-access-log");
        t.setDaemon(true);
        return t;
    });

    private AccessLog(Consumer<String> sink, PrintWriter resource) {
        this.sink = sink;
        this.resource = resource;
    }

    /** Appends to {@code file} (created if missing), flushed per line. */
    public static AccessLog toFile(Path file) throws IOException {
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        return new AccessLog(w::println, w);
    }

    /** Gives each line to {@code sink} (stdout for {@code -}). */
    public static AccessLog to(Consumer<String> sink) {
        return new AccessLog(sink, null);
    }

    @Override
    public void closed(ConnectionRecord record) {
        String line = record.toLine();
        writer.execute(() -> sink.accept(line));
    }

    /** Writes the lines still queued, then closes the file. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
        if (resource != null) {
            resource.close();
        }
    }
}
