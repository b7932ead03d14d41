package org.anynas.cli;

import org.anynas.data.Cache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "cache", description = "What AnyNAS keeps on disk between runs ($ANYNAS_CACHE, else ~/.cache/anynas): decoded "
        + "image folders, dataset splits for PyTorch workers and the workers' sources, each rebuilt when missing.",
        subcommands = {CacheCommand.ListEntries.class, CacheCommand.Prune.class})
final class CacheCommand extends CommandGroup {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** A cache folder that cannot be read is the user's to fix: one line, not a stack trace. */
    private static <T> T readable(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    @Command(name = "list", description = "Each entry: kind, size, last used, folder; least recently used first.")
    static final class ListEntries implements Callable<Integer> {
        @Override
        public Integer call() {
            Path base = Cache.base();
            List<Cache.Entry> entries = readable(() -> Cache.entries(base));
            if (entries.isEmpty()) {
                System.out.println("Nothing cached under " + base);
                return 0;
            }
            Table t = new Table("kind", "size", "last used", "folder");
            for (Cache.Entry e : entries) t.row(e.kind(), size(e.bytes()), WHEN.format(e.lastUsed()), e.path());
            t.print(System.out, Table.Format.TABLE);
            System.out.printf(Locale.ROOT, "%d entries, %s under %s (downloaded datasets not counted)%n", entries.size(),
                    size(entries.stream().mapToLong(Cache.Entry::bytes).sum()), base);
            return 0;
        }
    }

    @Command(name = "prune", description = "Removes the entries no run used for --older-than days; a later run that needs "
            + "one builds it again. Not while a campaign runs: --older-than 0 removes what it reads.")
    static final class Prune implements Callable<Integer> {
        @Option(names = "--older-than", paramLabel = "DAYS", required = true, description = "Last used more than DAYS days ago "
                + "(0: every entry).")
        double days;

        @Override
        public Integer call() {
            if (!(days >= 0 && days <= 36_500)) {
                throw new UserError("--older-than must be a number of days in 0..36500 (30 keeps a month), got " + days);
            }
            Path base = Cache.base();
            Cache.Pruned pruned = readable(() -> Cache.prune(base, Duration.ofSeconds(Math.round(days * 86_400))));
            List<Cache.Entry> removed = pruned.removed();
            for (Cache.Entry e : removed) {
                System.out.printf(Locale.ROOT, "removed %-6s %9s  last used %s  %s%n", e.kind(), size(e.bytes()),
                        WHEN.format(e.lastUsed()), e.path());
            }
            System.out.printf(Locale.ROOT, "%d entries removed, %s freed under %s%n", removed.size(),
                    size(removed.stream().mapToLong(Cache.Entry::bytes).sum()), base);
            pruned.failed().forEach(f -> System.err.println("warning: " + f));
            return pruned.failed().isEmpty() ? 0 : 1;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
