package io.sslkit.examples.interop;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints the interop {@link Matrix} once, when the whole test run ends: registered on each interop class, it puts
 * one {@link AutoCloseable} in the root context's store, which JUnit closes after the last class.
 */
public final class MatrixReport implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MatrixReport.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NS).getOrComputeIfAbsent("report", k -> new Report(), Report.class);
    }

    /** Closed by JUnit at the end of the run. */
    static final class Report implements AutoCloseable {
        @Override
        public void close() {
            if (!Matrix.any()) {
                return;
            }
            String table = Matrix.table();
            Path file = Matrix.write(table);
            System.out.println();
            System.out.println("Interop matrix (" + file + "):");
            System.out.print(table);
            System.out.flush();
        }
    }
}
