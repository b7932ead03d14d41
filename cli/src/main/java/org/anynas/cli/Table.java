package org.anynas.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.space.Json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Rows for people (aligned columns) or scripts (CSV, JSON). */
final class Table {
    enum Format { TABLE, CSV, JSON }

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) r.add(c == null ? "" : c.toString());
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintStream out, Format format) {
        switch (format) {
            case CSV -> {
                out.println(String.join(",", headers.stream().map(Table::csv).toList()));
                for (List<String> r : rows) out.println(String.join(",", r.stream().map(Table::csv).toList()));
            }
            case JSON -> {
                ArrayNode array = Json.json().createArrayNode();
                for (List<String> r : rows) {
                    ObjectNode o = array.addObject();
                    for (int i = 0; i < headers.size(); i++) o.put(headers.get(i), r.get(i));
                }
                out.println(array.toPrettyString());
            }
            case TABLE -> lines().forEach(out::println);
        }
    }

    /** The table for people, as lines: header, rule, rows in aligned columns. */
    List<String> lines() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) w[i] = headers.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        List<String> out = new ArrayList<>();
        out.add(line(headers, w));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < w.length; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        out.add(rule.toString());
        for (List<String> r : rows) out.add(line(r, w));
        return out;
    }

    private static String line(List<String> cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean last = i == cells.size() - 1;
            boolean numeric = c.matches("-?[0-9.,]+[kMG%]?");
            if (i > 0) sb.append("  ");
            if (last && !numeric) sb.append(c);
            else sb.append(numeric ? pad(c, w[i], true) : pad(c, w[i], false));
        }
        return sb.toString().stripTrailing();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
