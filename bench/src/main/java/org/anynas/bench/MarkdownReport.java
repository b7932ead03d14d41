package org.anynas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** A benchmark's result file: title, date, machine and command, then sections of text and tables. */
public final class MarkdownReport {
    private final StringBuilder text = new StringBuilder();

    private MarkdownReport() {
    }

    public static MarkdownReport of(String title, String command, Machine machine) {
        MarkdownReport r = new MarkdownReport();
        r.text.append("# ").append(title).append("\n\n")
                .append("- date: ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))).append('\n')
                .append("- machine: ").append(machine.oneLine()).append('\n')
                .append("- command: `").append(command).append("`\n\n");
        return r;
    }

    public MarkdownReport heading(String h) {
        text.append("## ").append(h).append("\n\n");
        return this;
    }

    public MarkdownReport paragraph(String p) {
        text.append(p).append("\n\n");
        return this;
    }

    public MarkdownReport table(List<String> header, List<List<String>> rows) {
        text.append('|').append(String.join("|", header)).append("|\n|");
        for (int i = 0; i < header.size(); i++) text.append(i == 0 ? "---|" : "---:|");
        text.append('\n');
        for (List<String> row : rows) text.append('|').append(String.join("|", row)).append("|\n");
        text.append('\n');
        return this;
    }

    public String text() {
        return text.toString();
    }

    /** Writes {@code dir/name}; returns the file. */
    public Path write(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            return org.anynas.space.AtomicFile.write(dir.resolve(name), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** The file-name stamp benchmark results use: {@code 2026-11-25}. */
    public static String dateStamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd"));
    }
}
