package org.anynas.cli;

import org.anynas.bench.Machine;
import org.anynas.bench.MarkdownReport;
import org.anynas.bench.OverheadBench;
import org.anynas.bench.SearchBench;
import org.anynas.bench.ThroughputBench;
import org.anynas.bench.TorchPeer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks; each writes a markdown table (with the machine and date) to bench/results/.",
        subcommands = {BenchCommand.Throughput.class, BenchCommand.Search.class, BenchCommand.Overhead.class})
final class BenchCommand extends CommandGroup {

    static class Output {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/results", description = "Result directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the Fashion-MNIST files are (default: standard places).")
        Path dataDir;
    }

    @Command(name = "throughput", description = "DL4J vs PyTorch CPU training and inference img/s on three reference "
            + "architectures (plain, residual, inverted+SE), same batch, threads and data, runs interleaved.")
    static final class Throughput extends Output implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "128", description = "Training batch (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--inference-batch", defaultValue = "256", description = "Inference batch (default: ${DEFAULT-VALUE}).")
        int inferenceBatch;

        @Option(names = "--steps", defaultValue = "30", description = "Timed steps per run (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds; medians reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with PyTorch (default: ${DEFAULT-VALUE}).")
        String python;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Path work = out.resolve("tmp");
            Logging.configure(work.resolve("bench-throughput.log"), common.verbose);
            int threads = Runtime.getRuntime().availableProcessors();
            ThroughputBench.Settings s = new ThroughputBench.Settings(batch, inferenceBatch, steps, warmup, rounds, threads,
                    python, dataDir, work);
            System.out.printf("Throughput benchmark: DL4J vs PyTorch, %d threads, %d rounds (log in %s)%n", threads, rounds,
                    work.resolve("bench-throughput.log"));
            var rows = ThroughputBench.run(s, System.out);
            MarkdownReport md = ThroughputBench.report(rows, s, TorchPeer.of(python, work).version(),
                    "./nas bench throughput --batch " + batch + " --inference-batch " + inferenceBatch + " --steps " + steps
                            + " --warmup " + warmup + " --rounds " + rounds, Machine.current());
            Path file = md.write(out, "throughput-" + MarkdownReport.dateStamp() + ".md");
            System.out.println();
            System.out.print(md.text());
            System.out.println("Written: " + file);
            return 0;
        }
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

    @Command(name = "overhead", description = "Per candidate, the time spent outside training (search engine, DB, graph build) "
            + "as a share of the whole, at the quickstart fidelity.")
    static final class Overhead extends Output implements Callable<Integer> {
        @Option(names = "--candidates", defaultValue = "8", description = "Candidates to run (default: ${DEFAULT-VALUE}).")
        int candidates;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Path work = out.resolve("tmp");
            Logging.configure(work.resolve("bench-overhead.log"), common.verbose);
            String name = "overhead-" + Long.toString(System.currentTimeMillis(), 36);
            var config = org.anynas.search.CampaignConfig.parse(
                    OverheadBench.quickstartYaml(name, candidates, dataDir, work.resolve("overhead-bench")), "overhead benchmark");
            System.out.printf("Overhead benchmark: %d quickstart candidates, one worker (log in %s)%n", candidates,
                    work.resolve("bench-overhead.log"));
            OverheadBench.Result r = OverheadBench.run(config, System.out);
            MarkdownReport md = OverheadBench.report(r, "./nas bench overhead --candidates " + candidates, Machine.current());
            Path file = md.write(out, "overhead-" + MarkdownReport.dateStamp() + ".md");
            System.out.println();
            System.out.print(md.text());
            System.out.println("Written: " + file);
            return 0;
        }
    }
}
