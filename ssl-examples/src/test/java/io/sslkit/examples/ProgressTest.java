package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line: its figures, how often it is printed, and the two ways it is shown. */
class ProgressTest {

    private static final long MIB = 1 << 20;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void plainLinesAtMostOncePerSecondThenTheFinalFigures() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Style.LINES, "", 100 * MIB, clock::get);
        advanceMillis(500);
        p.update(10 * MIB); // too early: nothing
        advanceMillis(500);
        p.update(20 * MIB); // 1 s: 20 MiB/s, 80 MiB left
        advanceMillis(300);
        p.update(25 * MIB); // too soon after the last
        advanceMillis(3700);
        p.finish(100 * MIB); // 5 s
        p.update(100 * MIB); // after finish: nothing
        assertThat(text.toString().split("\n")).containsExactly(
                "progress 20.0 MiB / 100.0 MiB (20%), 20.0 MiB/s, eta 4s",
                "progress 100.0 MiB / 100.0 MiB (100%), 20.0 MiB/s, eta 0s");
    }

    @Test
    void onATerminalTheLineIsRewrittenInPlace() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Style.IN_PLACE, "jdk tlsv1.3", 4 * MIB,
                clock::get);
        advanceMillis(250);
        p.update(MIB); // too early for a time left
        advanceMillis(750);
        p.update(2 * MIB);
        advanceMillis(1000);
        p.finish(4 * MIB);
        assertThat(text.toString()).isEqualTo(
                "\rjdk tlsv1.3: progress 1.0 MiB / 4.0 MiB (25%), 4.0 MiB/s, eta ?\u001b[K"
                        + "\rjdk tlsv1.3: progress 2.0 MiB / 4.0 MiB (50%), 2.0 MiB/s, eta 1s\u001b[K"
                        + "\rjdk tlsv1.3: progress 4.0 MiB / 4.0 MiB (100%), 2.0 MiB/s, eta 0s\u001b[K\n");
    }

    @Test
    void offPrintsNothingAndTheStyleFollowsTheFlagAndTheTerminal() {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text), Progress.Style.OFF, "", MIB, clock::get);
        advanceMillis(5000);
        p.update(1);
        p.finish(MIB);
        assertThat(text.toString()).isEmpty();
        assertThat(Progress.Style.of(null, false)).isEqualTo(Progress.Style.OFF);
        assertThat(Progress.Style.of(null, true)).isEqualTo(Progress.Style.IN_PLACE);
        assertThat(Progress.Style.of(true, false)).isEqualTo(Progress.Style.LINES);
        assertThat(Progress.Style.of(false, true)).isEqualTo(Progress.Style.OFF);
    }

    @Test
    void longEtasInMinutesAndHours() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), Progress.Style.LINES, "", 10_000 * MIB,
                clock::get);
        assertThat(p.text(MIB, TimeUnit.SECONDS.toNanos(1))).endsWith("1.0 MiB/s, eta 2h46m");
        assertThat(p.text(100 * MIB, TimeUnit.SECONDS.toNanos(1))).endsWith("eta 1m39s");
        assertThat(p.text(0, 0)).endsWith("0.0 MiB/s, eta ?");
        // done within the first second: nothing is left, whatever the rate says
        assertThat(p.text(10_000 * MIB, TimeUnit.MILLISECONDS.toNanos(500))).endsWith("eta 0s");
    }
}
