package io.sslkit.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Horizontal bar charts of ratios, in panels, drawn with Java2D (headless) into one PNG. */
public final class Chart {

    /** One bar: a label and a ratio. */
    public record Bar(String label, double value) {
    }

    /** A panel: bars against a target line, on a linear or logarithmic axis. */
    public record Panel(String title, List<Bar> bars, double target, boolean log, double max) {
    }

    private static final int WIDTH = 1100;
    private static final int LABEL_WIDTH = 330;
    private static final int BAR_HEIGHT = 16;
    private static final int GAP = 4;
    private static final int PANEL_HEAD = 40;
    private static final int PANEL_FOOT = 34;

    private Chart() {
    }

    public static void write(Path file, String title, List<Panel> panels) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Panel> shown = new ArrayList<>();
        for (Panel p : panels) {
            if (!p.bars().isEmpty()) {
                shown.add(p);
            }
        }
        int height = 50;
        for (Panel p : shown) {
            height += PANEL_HEAD + p.bars().size() * (BAR_HEIGHT + GAP) + PANEL_FOOT;
        }
        BufferedImage img = new BufferedImage(WIDTH, Math.max(height, 120), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 12, 28);
        int y = 50;
        for (Panel p : shown) {
            y = panel(g, p, y);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static int panel(Graphics2D g, Panel p, int top) {
        int x0 = LABEL_WIDTH;
        int x1 = WIDTH - 40;
        double max = p.max();
        for (Bar b : p.bars()) {
            if (Double.isFinite(b.value())) {
                max = Math.max(max, b.value() * 1.05);
            }
        }
        double min = p.log() ? 0.1 : 0;
        final double lo = min;
        final double hi = max;
        java.util.function.DoubleToIntFunction xOf = v -> {
            double f = p.log() ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (v - lo) / (hi - lo);
            return x0 + (int) Math.round(Math.max(0, Math.min(1, f)) * (x1 - x0));
        };
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title(), 12, top + 22);
        int y = top + PANEL_HEAD;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (Bar b : p.bars()) {
            String label = b.label();
            while (fm.stringWidth(label) > LABEL_WIDTH - 16 && label.length() > 4) {
                label = label.substring(0, label.length() - 2);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, LABEL_WIDTH - 8 - fm.stringWidth(label), y + BAR_HEIGHT - 4);
            if (Double.isFinite(b.value())) {
                boolean ok = b.value() >= p.target();
                g.setColor(ok ? new Color(0x4c9a2a) : new Color(0xc8553d));
                int w = xOf.applyAsInt(b.value()) - x0;
                g.fillRect(x0, y, Math.max(1, w), BAR_HEIGHT);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, p.log() ? "%.1f×" : "%.2f", b.value()), x0 + w + 4,
                        y + BAR_HEIGHT - 4);
            } else {
                g.setColor(Color.GRAY);
                g.drawString("n/a", x0 + 4, y + BAR_HEIGHT - 4);
            }
            y += BAR_HEIGHT + GAP;
        }
        // axis and target
        g.setColor(Color.BLACK);
        g.drawLine(x0, top + PANEL_HEAD - 4, x0, y);
        g.drawLine(x0, y, x1, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (double t : ticks(p.log(), lo, hi)) {
            int x = xOf.applyAsInt(t);
            g.drawLine(x, y, x, y + 4);
            String s = p.log() ? String.format(Locale.ROOT, "%s×", trim(t)) : trim(t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y + 16);
        }
        int xt = xOf.applyAsInt(p.target());
        g.setColor(new Color(0x1f4e9c));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.drawLine(xt, top + PANEL_HEAD - 6, xt, y);
        g.setStroke(new BasicStroke(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("target " + (p.log() ? trim(p.target()) + "×" : trim(p.target())), xt + 4, top + PANEL_HEAD - 8);
        return y + PANEL_FOOT;
    }

    private static List<Double> ticks(boolean log, double lo, double hi) {
        List<Double> t = new ArrayList<>();
        if (log) {
            for (double v = lo; v <= hi * 1.0001; v *= 10) {
                t.add(v);
            }
        } else {
            double step = hi <= 1.5 ? 0.25 : hi <= 3 ? 0.5 : Math.pow(10, Math.floor(Math.log10(hi)));
            for (double v = 0; v <= hi * 1.0001; v += step) {
                t.add(v);
            }
        }
        return t;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v)
                .replaceAll("0+$", "");
    }
}
