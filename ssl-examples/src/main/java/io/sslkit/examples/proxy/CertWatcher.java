package io.sslkit.examples.proxy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches certificate and key files ({@link WatchService} on their directories, since editors and {@code mv}
 * replace files rather than write them) and runs a reload when one of them changes. Events that arrive together
 * (a certificate and its key copied one after the other) give one reload; a reload that fails on a half-written
 * file is followed by another when the write ends.
 */
public final class CertWatcher implements AutoCloseable {

    private final WatchService watch;
    private final Set<Path> files = new HashSet<>();
    private final Thread thread;

    /** Starts watching {@code paths}; {@code reload} runs on the watcher's own daemon thread. */
    public CertWatcher(Set<Path> paths, Runnable reload) throws IOException {
        this.watch = FileSystems.getDefault().newWatchService();
        Set<Path> dirs = new HashSet<>();
        for (Path p : paths) {
            Path abs = p.toAbsolutePath().normalize();
            files.add(abs);
            dirs.add(abs.getParent());
        }
        for (Path d : dirs) {
            d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        }
        thread = new Thread(() -> loop(reload), "sslkit-cert-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Runnable reload) {
        try {
            while (true) {
                boolean changed = take(watch.take());
                WatchKey more;
                while ((more = watch.poll()) != null) {
                    changed |= take(more);
                }
                if (changed) {
                    reload.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    private boolean take(WatchKey key) {
        boolean changed = false;
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path name && files.contains(dir.resolve(name))) {
                changed = true;
            }
        }
        key.reset();
        return changed;
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            // closing an inotify descriptor: nothing left to do about it
        }
    }
}
