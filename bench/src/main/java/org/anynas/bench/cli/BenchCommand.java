package org.anynas.bench.cli;

import org.anynas.cli.CommandGroup;
import org.anynas.cli.CommonOptions;
import org.anynas.cli.Logging;

import org.anynas.bench.Machine;
import org.anynas.bench.MarkdownReport;
import org.anynas.bench.OverheadBench;
import org.anynas.bench.SearchBench;
import org.anynas.bench.LadderBench;
import org.anynas.bench.ThroughputBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Benchmarks; each writes a markdown table (with the machine and date) to bench/results/.",
        subcommands = {BenchCommand.Throughput.class, BenchCommand.Search.class, BenchCommand.Overhead.class,
                BenchCommand.Folder.class, FinalBenchCommand.class})
public final class BenchCommand extends CommandGroup {

    static class Output {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench/results", description = "Result directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the Fashion-MNIST files are (default: standard places).")
        Path dataDir;

        @Option(names = "--data", paramLabel = "FOLDER|CSV", description = "search, overhead: your own images instead of "
                + "Fashion-MNIST (a folder of class folders, or a CSV; see docs/datasets.md).")
        Path data;

        /** The campaigns' data: Fashion-MNIST, or --data. */
        org.anynas.bench.BenchData benchData() {
            return new org.anynas.bench.BenchData(dataDir, data);
        }

        @Mixin
        CommonOptions common;

        /** Scratch space (databases, the PyTorch script), ignored by git. */
        Path work() {
            return out.resolve("tmp");
        }

        /** Sends library logs to {@code tmp/bench-<name>.log} and returns that file. */
        Path startLog(String name) {
            Path log = work().resolve("bench-" + name + ".log");
            Logging.configure(log, common.verbose);
            return log;
        }

        /** Writes {@code <stem>.md} to the result directory and shows it. */
        void publish(MarkdownReport md, String stem, Path... alsoWritten) {
            Path file = md.write(out, stem + ".md");
            System.out.println();
            System.out.print(md.text());
            StringBuilder written = new StringBuilder("Written: ").append(file);
            for (Path p : alsoWritten) written.append(" and ").append(p);
            System.out.println(written);
        }
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

        @Override
        public Integer call() {
            Path log = startLog("throughput");
            int threads = Runtime.getRuntime().availableProcessors();
            ThroughputBench.Settings s = new ThroughputBench.Settings(batch, inferenceBatch, steps, warmup, rounds, threads,
                    python, dataDir, work());
            System.out.printf("Throughput benchmark: DL4J vs PyTorch, %d threads, %d rounds (log in %s)%n", threads, rounds, log);
            var result = ThroughputBench.run(s, System.out);
            publish(ThroughputBench.report(result, s,
                    "./nas bench throughput --batch " + batch + " --inference-batch " + inferenceBatch + " --steps " + steps
                            + " --warmup " + warmup + " --rounds " + rounds, Machine.current()),
                    "throughput-" + MarkdownReport.dateStamp());
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

        @Option(names = "--ladder", description = "Instead: evolution on fidelity ladders (up to 9 epochs) vs plain "
                + "evolution at 9 epochs, at equal compute (images trained); --evaluations is plain evolution's candidates.")
        boolean ladder;

        @Option(names = "--ladders", paramLabel = "RULE:ETA[:MIN],...", defaultValue = "asha:3", description = "With --ladder: "
                + "the ladder arms, rule:eta and optionally the first rung's epochs (1 unless given), e.g. "
                + "asha:3,median:3,asha:2,asha:3:3 (default: ${DEFAULT-VALUE}).")
        String ladders;

        @Option(names = "--workers", defaultValue = "1", description = "With --ladder: slots per campaign, in_flight as many "
                + "(default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--backend", defaultValue = "torch", description = "With --ladder: dl4j or torch (on the CPU; default: ${DEFAULT-VALUE}).")
        String backend;

        @Override
        public Integer call() {
            if (ladder) return ladder();
            Path log = startLog("search");
            SearchBench.Settings s = SearchBench.Settings.standard(seeds, evaluations, benchData(), work());
            System.out.printf("Search benchmark: evolution vs random, %d seeds × %d evaluations each (log in %s)%n", seeds,
                    evaluations, log);
            SearchBench.Result r = SearchBench.run(s, System.out);
            String stem = "search-" + MarkdownReport.dateStamp();
            Path png = out.resolve(stem + ".png");
            SearchBench.plot(r, png);
            publish(SearchBench.report(r, "./nas bench search --seeds " + seeds + " --evaluations " + evaluations,
                    Machine.current(), png.getFileName().toString()), stem, png);
            return 0;
        }

        private int ladder() {
            Path log = startLog("ladder");
            LadderBench.Settings s = LadderBench.Settings.standard(seeds, evaluations, backend, workers,
                    LadderBench.Arm.parse(ladders), benchData(), work());
            System.out.printf("Ladder benchmark: evolution on fidelity ladders (%s) vs plain evolution, %d seeds, the compute of %d "
                    + "plain candidates each (log in %s)%n", ladders, seeds, evaluations, log);
            String stem = LADDER_STEM + MarkdownReport.dateStamp();
            Path png = out.resolve(stem + ".png");
            String command = "./nas bench search --ladder --backend " + backend + " --ladders " + ladders + " --workers " + workers
                    + " --seeds " + seeds + " --evaluations " + evaluations;
            Machine machine = Machine.current();
            LadderBench.Result r = LadderBench.run(s, System.out, partial -> { // each finished seed is written at once
                LadderBench.plot(partial, png);
                Path file = LadderBench.report(partial, command, machine, png.getFileName().toString()).write(out, stem + ".md");
                System.out.printf("seed %d of %d done: %s%n", partial.runs().stream().filter(x -> x.arm().equals("plain")).count(),
                        seeds, file);
            });
            LadderBench.plot(r, png);
            publish(LadderBench.report(r, command, machine, png.getFileName().toString()), stem, png);
            return 0;
        }
    }

    private static final String LADDER_STEM = "ladder-";

    @Command(name = "folder", description = "Your own images at scale: Fashion-MNIST written as 70,000 PNG files + a CSV; "
            + "first decode, cached open, equality with the built-in dataset, and the quickstart campaign on the folder (empty "
            + "cache, cached) and on the IDX files, each in its own process: time to the first candidate and the scores.")
    static final class Folder extends Output implements Callable<Integer> {
        @Option(names = "--evaluations", defaultValue = "4", description = "Candidates per campaign (default: ${DEFAULT-VALUE}).")
        int evaluations;

        @Override
        public Integer call() {
            Path log = startLog("folder");
            String java = ProcessHandle.current().info().command().orElse("java");
            org.anynas.bench.FolderBench.Settings s = new org.anynas.bench.FolderBench.Settings(dataDir, work(), evaluations, java,
                    System.getProperty("java.class.path"));
            System.out.printf("Folder benchmark (log in %s)%n", log);
            var r = org.anynas.bench.FolderBench.run(s, System.out);
            String stem = "folder-" + MarkdownReport.dateStamp();
            publish(org.anynas.bench.FolderBench.report(r, "./nas bench folder --evaluations " + evaluations, Machine.current()), stem);
            return 0;
        }
    }

    @Command(name = "overhead", description = "Per candidate, the time spent outside training (search engine, DB, graph build) "
            + "as a share of the whole, at the quickstart fidelity.")
    static final class Overhead extends Output implements Callable<Integer> {
        @Option(names = "--candidates", defaultValue = "8", description = "Candidates to run (default: ${DEFAULT-VALUE}).")
        int candidates;

        @Override
        public Integer call() {
            Path log = startLog("overhead");
            String name = "overhead-" + Long.toString(System.currentTimeMillis(), 36);
            var config = OverheadBench.quickstart(name, candidates, benchData(), work().resolve("overhead-bench"));
            System.out.printf("Overhead benchmark: %d quickstart candidates, one worker (log in %s)%n", candidates, log);
            OverheadBench.Result r = OverheadBench.run(config, System.out);
            publish(OverheadBench.report(r, "./nas bench overhead --candidates " + candidates, Machine.current()),
                    "overhead-" + MarkdownReport.dateStamp());
            return 0;
        }
    }
}
