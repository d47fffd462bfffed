package org.xp2p.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's results as a table printed for people and a CSV file for tools. Every
 * figure is shown beside its ratio to a baseline row measured in the same run, because
 * absolute times on a shared two-core machine are noise; ratios are what carries over.
 */
public final class ResultTable {
    /** Where CSV files go, relative to the working directory (bench/run runs from the repo top). */
    public static final Path RESULTS = Path.of("bench", "results");

    private final String title;
    private final String unit;
    private final boolean higherIsBetter;
    private final List<Row> rows = new ArrayList<>();

    /** One measured figure with its error margin (NaN when unknown) and free-form notes. */
    public record Row(String name, double value, double error, String note) {
    }

    public ResultTable(String title, String unit, boolean higherIsBetter) {
        this.title = title;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public ResultTable add(String name, double value, double error, String note) {
        rows.add(new Row(name, value, error, note == null ? "" : note));
        return this;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** Prints the table with each row's ratio to {@code baseline} (a row name). */
    public void print(PrintStream out, String baseline) {
        Row base = rows.stream().filter(r -> r.name.equals(baseline)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no baseline row " + baseline));
        int width = Math.max(10, rows.stream().mapToInt(r -> r.name.length()).max().orElse(10));
        out.println();
        out.println(title);
        out.printf(Locale.ROOT, "%-" + width + "s  %14s  %10s  %10s  %s%n", "benchmark", unit, "± error", "vs " + baseline, "");
        for (Row r : rows) {
            double ratio = r.value / base.value;
            out.printf(Locale.ROOT, "%-" + width + "s  %14.1f  %10s  %9.2fx  %s%n", r.name, r.value,
                    Double.isNaN(r.error) ? "-" : String.format(Locale.ROOT, "%.1f", r.error), ratio, r.note);
        }
        out.println("(" + (higherIsBetter ? "higher" : "lower") + " is better; ratio = row / " + baseline + ")");
    }

    /** Writes {@code bench/results/NAME.csv} and returns its path. */
    public Path writeCsv(String name, String baseline) throws IOException {
        Files.createDirectories(RESULTS);
        Row base = rows.stream().filter(r -> r.name.equals(baseline)).findFirst().orElseThrow();
        StringBuilder csv = new StringBuilder("benchmark,value,error,unit,ratio_to_" + baseline + ",note\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%.3f,%s,%s,%.4f,\"%s\"%n", r.name, r.value,
                    Double.isNaN(r.error) ? "" : String.format(Locale.ROOT, "%.3f", r.error), unit,
                    r.value / base.value, r.note.replace("\"", "'")));
        }
        Path file = RESULTS.resolve(name + ".csv");
        Files.writeString(file, csv);
        return file;
    }
}
