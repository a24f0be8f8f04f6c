package io.sslkit.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Horizontal bar charts of ratios, one JFreeChart per panel, stacked into one PNG (headless): green bars reach the
 * panel's target, red ones do not, the target is a dashed line, each bar carries its value.
 */
public final class Chart {

    /** One bar: a label and a ratio ({@code NaN}: not measured, shown as {@code n/a}). */
    public record Bar(String label, double value) {
    }

    /** A panel: bars against a target line, on a linear or logarithmic axis (at least up to {@code max}). */
    public record Panel(String title, List<Bar> bars, double target, boolean log, double max) {
    }

    private static final int WIDTH = 1100;
    private static final int TITLE_HEIGHT = 44;
    private static final int BAR_ROW = 20;
    private static final int PANEL_CHROME = 90;
    private static final Color REACHED = new Color(0x4c9a2a);
    private static final Color MISSED = new Color(0xc8553d);
    private static final Color TARGET = new Color(0x1f4e9c);

    private Chart() {
    }

    public static void write(Path file, String title, List<Panel> panels) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Panel> shown = panels.stream().filter(p -> !p.bars().isEmpty()).toList();
        int height = TITLE_HEIGHT;
        for (Panel p : shown) {
            height += panelHeight(p);
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
        int y = TITLE_HEIGHT;
        for (Panel p : shown) {
            int h = panelHeight(p);
            chart(p).draw(g, new Rectangle(0, y, WIDTH, h));
            y += h;
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static int panelHeight(Panel p) {
        return PANEL_CHROME + p.bars().size() * BAR_ROW;
    }

    private static JFreeChart chart(Panel p) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Boolean> reached = new ArrayList<>();
        double max = p.max();
        for (Bar b : p.bars()) {
            String label = unique(data, Double.isFinite(b.value()) ? b.label() : b.label() + " (n/a)");
            boolean finite = Double.isFinite(b.value());
            data.addValue(finite ? b.value() : null, "ratio", label);
            reached.add(finite && b.value() >= p.target());
            if (finite) {
                max = Math.max(max, b.value() * 1.05);
            }
        }
        DecimalFormat format = new DecimalFormat(p.log() ? "0.0'×'" : "0.00", DecimalFormatSymbols.getInstance(
                Locale.ROOT));
        BarRenderer bars = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return reached.get(column) ? REACHED : MISSED;
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setMaximumBarWidth(0.8);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3,
                TextAnchor.CENTER_LEFT));
        CategoryAxis labels = new CategoryAxis();
        labels.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        labels.setMaximumCategoryLabelWidthRatio(0.45f);
        labels.setCategoryMargin(0.1);
        CategoryPlot plot = new CategoryPlot(data, labels, axis(p, max), bars);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ValueMarker target = new ValueMarker(p.target(), TARGET, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        target.setLabel("target " + (p.log() ? format.format(p.target()) : trim(p.target())));
        target.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        target.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        target.setLabelPaint(TARGET);
        target.setLabelBackgroundColor(Color.WHITE);
        plot.addRangeMarker(target);
        JFreeChart chart = new JFreeChart(p.title(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static ValueAxis axis(Panel p, double max) {
        if (p.log()) {
            LogAxis log = new LogAxis();
            log.setBase(10);
            log.setRange(0.1, max);
            log.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
            log.setNumberFormatOverride(new DecimalFormat("0.##'×'", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            return log;
        }
        NumberAxis linear = new NumberAxis();
        linear.setRange(0, max);
        linear.setTickUnit(new NumberTickUnit(max <= 1.5 ? 0.25 : max <= 3 ? 0.5
                : Math.pow(10, Math.floor(Math.log10(max)))));
        return linear;
    }

    /** Dataset keys must be unique; a label seen before gets a number. */
    private static String unique(DefaultCategoryDataset data, String label) {
        String key = label;
        for (int n = 2; data.getColumnIndex(key) >= 0; n++) {
            key = label + " #" + n;
        }
        return key;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v)
                .replaceAll("0+$", "");
    }
}
