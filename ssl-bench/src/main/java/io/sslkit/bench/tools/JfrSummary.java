package io.sslkit.bench.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of a benchmark says about the hot path, as text:
 * <ul>
 *   <li>samples ({@code jdk.ExecutionSample} in Java code, {@code jdk.NativeMethodSample} in JNI — syscalls, BoringSSL,
 *   epoll_wait): top methods by self time, top by total (inclusive) time, and the
 *   share of samples whose stack passes through sslkit, Netty's SslHandler, the JDK's SSLEngine, or parks;</li>
 *   <li>allocation ({@code jdk.ObjectAllocationSample}, weighted): top allocated classes and top allocation
 *   sites (first non-JDK frame);</li>
 *   <li>lock contention ({@code jdk.JavaMonitorEnter}, {@code jdk.ThreadPark}) by frame.</li>
 * </ul>
 *
 * <pre>java -cp benchmarks.jar io.sslkit.bench.tools.JfrSummary recording.jfr [topN]</pre>
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        Map<String, Long> parks = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> areas = new LinkedHashMap<>();
        Map<String, Long> nativeSelf = new HashMap<>();
        long samples = 0;
        long nativeSamples = 0;
        long allocBytes = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                RecordedStackTrace st = e.getStackTrace();
                switch (type) {
                    case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
                        if (st == null || st.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        boolean nativeSample = type.equals("jdk.NativeMethodSample");
                        if (nativeSample) {
                            nativeSamples++;
                        }
                        List<RecordedFrame> frames = st.getFrames();
                        (nativeSample ? nativeSelf : self).merge(name(frames.get(0)), 1L, Long::sum);
                        java.util.Set<String> seen = new java.util.HashSet<>();
                        java.util.Set<String> seenArea = new java.util.HashSet<>();
                        for (RecordedFrame f : frames) {
                            String n = name(f);
                            if (seen.add(n)) {
                                total.merge(n, 1L, Long::sum);
                            }
                            String area = area(n);
                            if (area != null && seenArea.add(area)) {
                                areas.merge(area, 1L, Long::sum);
                            }
                        }
                        String thread = e.getThread("sampledThread") == null ? "?"
                                : e.getThread("sampledThread").getJavaName();
                        threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N")
                                .replaceAll("-\\d+-\\d+$", "-N-N"), 1L, Long::sum);
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long w = e.getLong("weight");
                        allocBytes += w;
                        allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                        if (st != null) {
                            allocSite.merge(site(st.getFrames()), w, Long::sum);
                        }
                    }
                    case "jdk.ThreadPark", "jdk.JavaMonitorEnter" -> {
                        if (st != null) {
                            parks.merge(type.substring(4) + " " + site(st.getFrames()),
                                    e.getDuration().toNanos(), Long::sum);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d samples (%d in Java code, %d in native methods), %.1f MB sampled "
                + "allocation%n%n", file, samples, samples - nativeSamples, nativeSamples, allocBytes / 1e6);
        System.out.println("Share of samples (Java + native) whose stack passes through:");
        for (Map.Entry<String, Long> a : areas.entrySet()) {
            System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * a.getValue() / Math.max(1, samples), a.getKey());
        }
        print("CPU samples by thread", threads, samples, top, "%");
        print("Top methods, self (Java samples)", self, samples - nativeSamples, top, "%");
        print("Top native methods (native samples: blocked or working in JNI)", nativeSelf, nativeSamples, top, "%");
        print("Top methods, total", total, samples, top, "%");
        print("Allocation by class (sampled bytes)", allocClass, allocBytes, top, "%");
        print("Allocation by site (first frame outside java.*/jdk.*)", allocSite, allocBytes, top, "%");
        print("Blocking (ThreadPark / JavaMonitorEnter), total ms", parks, -1, top, "ms");
    }

    private static String area(String method) {
        if (method.startsWith("io.sslkit.") && !method.startsWith("io.sslkit.bench.")) {
            return "io.sslkit (our layer)";
        }
        if (method.startsWith("io.netty.handler.ssl.SslHandler.")) {
            return "Netty SslHandler";
        }
        if (method.startsWith("io.netty.handler.ssl.ReferenceCountedOpenSslEngine.")) {
            return "BoringSSL engine (Java side + JNI)";
        }
        if (method.startsWith("sun.security.ssl.SSLEngineImpl.")) {
            return "JDK SSLEngine";
        }
        if (method.startsWith("io.netty.channel.epoll.") || method.startsWith("io.netty.channel.nio.")) {
            return "Netty transport (epoll/NIO)";
        }
        if (method.startsWith("io.netty.buffer.ByteBufUtil.getBytes")) {
            return "ByteBufUtil.getBytes (copy to byte[])";
        }
        if (method.startsWith("io.netty.util.concurrent.SingleThreadEventExecutor.execute")
                || method.startsWith("io.netty.util.concurrent.AbstractScheduledEventExecutor.schedule")) {
            return "task submission to an event loop";
        }
        if (method.startsWith("java.util.concurrent.locks.LockSupport.park")) {
            return "LockSupport.park";
        }
        return null;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String site(List<RecordedFrame> frames) {
        StringBuilder b = new StringBuilder();
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (b.length() > 0) {
                b.append(" < ").append(n).append(':').append(f.getLineNumber());
                return b.toString();
            }
            if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                b.append(n).append(':').append(f.getLineNumber());
            }
        }
        return b.length() == 0 && !frames.isEmpty() ? name(frames.get(0)) : b.toString();
    }

    private static void print(String title, Map<String, Long> m, long whole, int top, String unit) {
        System.out.println();
        System.out.println(title + ":");
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(top, l.size()); i++) {
            Map.Entry<String, Long> e = l.get(i);
            if (whole > 0) {
                System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / whole, e.getKey());
            } else {
                System.out.printf(Locale.ROOT, "  %8.1f %s  %s%n", e.getValue() / 1e6, unit, e.getKey());
            }
        }
    }
}
