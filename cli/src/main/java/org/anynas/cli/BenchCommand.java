package org.anynas.cli;

import org.anynas.bench.Machine;
import org.anynas.bench.MarkdownReport;
import org.anynas.bench.SearchBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks; each writes a markdown table (with the machine and date) to bench/results/.",
        subcommands = {BenchCommand.Search.class})
final class BenchCommand extends CommandGroup {

    static class Output {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/results", description = "Result directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the Fashion-MNIST files are (default: standard places).")
        Path dataDir;
    }

    @Command(name = "search", description = "Evolution vs random search at an equal evaluation budget on Fashion-MNIST, several seeds: "
            + "best val_acc vs evaluations (table + PNG) and the evaluations evolution needs to reach random's final best.")
    static final class Search extends Output implements Callable<Integer> {
        @Option(names = "--seeds", defaultValue = "3", description = "Seeds per strategy (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--evaluations", defaultValue = "24", description = "Evaluations per run (default: ${DEFAULT-VALUE}).")
        int evaluations;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Path work = out.resolve("tmp");
            Logging.configure(work.resolve("bench-search.log"), common.verbose);
            SearchBench.Settings s = SearchBench.Settings.standard(seeds, evaluations, dataDir, work);
            System.out.printf("Search benchmark: evolution vs random, %d seeds × %d evaluations each (log in %s)%n", seeds,
                    evaluations, work.resolve("bench-search.log"));
            SearchBench.Result r = SearchBench.run(s, System.out);
            String stem = "search-" + MarkdownReport.dateStamp();
            SearchBench.plot(r, out.resolve(stem + ".png"));
            MarkdownReport md = SearchBench.report(r, "./nas bench search --seeds " + seeds + " --evaluations " + evaluations,
                    Machine.current(), stem + ".png");
            Path file = md.write(out, stem + ".md");
            System.out.println();
            System.out.print(md.text());
            System.out.println("Written: " + file + " and " + out.resolve(stem + ".png"));
            return 0;
        }
    }
}
