package org.anynas.data.folder;

import org.anynas.data.DatasetException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A CSV of {@code path,label[,split]} rows. Paths are relative to the CSV's folder; the split is train (default),
 * val, validation or test. A first row whose second field is "label" or "class" is a header. Row order is kept.
 * Classes are the train rows' labels, sorted as numbers when every label is an integer (so labels 0..k-1 are
 * their own class index) and as strings otherwise.
 */
final class CsvScan {
    private CsvScan() {
    }

    private record Row(int line, String path, String label, FolderSplit split) {
    }

    static FolderScan read(Path csv) {
        List<Row> rows = rows(csv);
        Set<String> trainLabels = new LinkedHashSet<>();
        for (Row r : rows) if (r.split == FolderSplit.TRAIN) trainLabels.add(r.label);
        if (trainLabels.isEmpty()) {
            throw new DatasetException(csv + " has no train rows: add rows path,label (the split column defaults to train)");
        }
        List<String> classes = new ArrayList<>(trainLabels);
        boolean numeric = classes.stream().allMatch(CsvScan::isInteger);
        classes.sort(numeric ? Comparator.comparing(CsvScan::asNumber) : Comparator.naturalOrder());
        if (classes.size() < 2) {
            throw new DatasetException("only one label (" + classes.get(0) + ") in " + csv
                    + ": a classifier needs two: add rows with a second label");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        Path base = csv.toAbsolutePath().getParent();
        List<ImageEntry> entries = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Integer label = index.get(r.label);
            if (label == null) {
                throw new DatasetException(csv.getFileName() + " line " + r.line + ": label '" + r.label + "' of a "
                        + r.split.key() + " row has no train rows: add train images of it or remove the row");
            }
            Path file = base.resolve(r.path).normalize();
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                throw new DatasetException(csv.getFileName() + " line " + r.line + ": " + r.path
                        + " does not exist: fix the path (relative to " + base + ") or remove the row");
            } catch (IOException e) {
                throw new DatasetException(csv.getFileName() + " line " + r.line + ": cannot read " + r.path + ": " + e.getMessage());
            }
            if (!attrs.isRegularFile()) {
                throw new DatasetException(csv.getFileName() + " line " + r.line + ": " + r.path + " is not a file: name an image");
            }
            entries.add(new ImageEntry(file, r.path, label, r.split, attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        }
        return new FolderScan(List.copyOf(classes), entries, 0, "csv");
    }

    private static List<Row> rows(Path csv) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (n == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // a BOM from Excel
                if (line.isBlank()) continue;
                List<String> f = fields(line);
                if (f == null || f.size() < 2 || f.size() > 3 || f.get(0).isBlank() || f.get(1).isBlank()) {
                    throw malformed(csv, n, line);
                }
                if (rows.isEmpty() && isHeader(f)) continue;
                FolderSplit split = FolderSplit.TRAIN;
                if (f.size() == 3 && !f.get(2).isBlank()) {
                    split = FolderSplit.parse(f.get(2));
                    if (split == null) {
                        throw new DatasetException(csv.getFileName() + " line " + n + ": split '" + f.get(2).trim()
                                + "' is not train, val, validation or test: fix the third column");
                    }
                }
                rows.add(new Row(n, f.get(0).trim(), f.get(1).trim(), split));
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + csv + ": " + e.getMessage());
        }
        if (rows.isEmpty()) throw new DatasetException(csv + " has no rows: add rows path,label[,split]");
        return rows;
    }

    private static boolean isHeader(List<String> f) {
        String second = f.get(1).trim().toLowerCase(Locale.ROOT);
        return second.equals("label") || second.equals("class");
    }

    private static DatasetException malformed(Path csv, int line, String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return new DatasetException(csv.getFileName() + " line " + line + ": expected path,label[,split], got '" + shown
                + "': fix the row");
    }

    /** Comma-separated fields; double quotes may wrap a field holding commas, "" is a quote. Null if unbalanced. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) return null;
        out.add(cur.toString());
        return out;
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d{1,18}");
    }

    private static long asNumber(String s) {
        return Long.parseLong(s);
    }
}
