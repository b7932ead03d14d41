package org.anynas.bench;

import org.anynas.db.CampaignRow;
import org.anynas.db.ResultsStore;
import org.anynas.trainer.EvaluationResult;
import org.anynas.dl4j.GraphTranslator;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.trainer.Trainer;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.campaign.DbSearchLog;
import org.anynas.search.GenerationStats;
import org.anynas.search.Search;
import org.anynas.search.SearchListener;
import org.anynas.search.SearchLog;
import org.anynas.search.Visit;
import org.anynas.space.Architecture;
import org.anynas.space.DesignSpace;
import org.anynas.space.Fidelity;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.Json;
import org.anynas.space.Sampler;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a campaign's time goes besides training, at the quickstart fidelity: the search engine around the
 * trainer (decode, validity and budget checks, dedup and cache lookups, selection, DB commits), building the
 * DL4J graph, and the evaluator's scoring work after training. One worker, so wall time is a sum of parts.
 */
public final class OverheadBench {

    /** Seconds, summed over the campaign. */
    public record Result(int candidates, String fidelity, double wall, double evaluate, double training, double graphBuild,
                         double db, double decodeAndValidity) {
        /** Everything that is neither training nor scoring a candidate. */
        public double overhead() {
            return wall - evaluate + graphBuild;
        }
    }

    private OverheadBench() {
    }

    /** The quickstart campaign with {@code candidates} evaluations, one worker and the cache between campaigns off. */
    public static CampaignConfig quickstart(String name, int candidates, BenchData data, Path db) {
        return CampaignConfig.quickstart("name: " + name + "\n" + data.yaml()
                + "workers: 1\ncache: false\ndb: \"" + db + "\"\n"
                + "stop:\n  max_evaluations: " + candidates + "\n", "overhead benchmark");
    }

    public static Result run(CampaignConfig config, PrintStream progress) {
        DesignSpace space = DesignSpace.load(config.space());
        ProxyTrainer proxy = CampaignRunner.trainer(config, () -> false);
        GenotypeLayout layout = space.layout(proxy.dataset().shape(), proxy.dataset().classes());
        TimedTrainer trainer = new TimedTrainer(proxy);
        List<Visit> visits;
        long wall;
        TimedLog log;
        try (ResultsStore store = ResultsStore.open(config.dbPath())) {
            CampaignRow row = store.createCampaign(config.name(), config.strategy().key(), proxy.datasetKey(), space.name(),
                    Json.yaml().writeValueAsString(space), config.seed(), config.toYaml());
            log = new TimedLog(new DbSearchLog(store, row.id(), proxy.datasetKey(), proxy.identity(), config.cache()));
            Search search = Search.of(layout, config.settings(), config.fidelity(), trainer, log, new SearchListener() {
                @Override
                public void visited(Visit v, int done, int max) {
                    progress.printf(Locale.ROOT, "candidate %d/%d: %s%n", done, max, v.result().ok()
                            ? String.format(Locale.ROOT, "val_acc %.4f, %.1f s", v.result().valAccuracy(), v.result().trainSeconds())
                            : v.result().status().key());
                }
            });
            long t0 = System.nanoTime();
            visits = search.run();
            wall = System.nanoTime() - t0;
            store.setCampaignStatus(row.id(), "finished");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // graph build and decode are re-measured on the visited candidates: the same work, timed on its own
        Sampler sampler = Sampler.of(layout);
        long build = 0;
        long decode = 0;
        double training = 0;
        for (Visit v : visits) {
            boolean trained = v.result().ok() && !v.cached(); // a repeat reuses the campaign's earlier score: no training
            if (trained) training += v.result().trainSeconds();
            long t0 = System.nanoTime();
            Architecture a = layout.decode(v.genes());
            sampler.accepts(v.genes());
            long t1 = System.nanoTime();
            decode += t1 - t0;
            if (!trained) continue;
            ComputationGraph net = GraphTranslator.floats().build(a.graph(), config.fidelity(), 1);
            build += System.nanoTime() - t1;
            net.clear();
        }
        return new Result(visits.size(), config.fidelity().oneLine(), wall / 1e9, trainer.nanos / 1e9, training - build / 1e9,
                build / 1e9, log.nanos / 1e9, decode / 1e9);
    }

    public static MarkdownReport report(Result r, String command, Machine machine) {
        MarkdownReport md = MarkdownReport.of("Engine overhead per candidate", command, machine);
        md.paragraph(String.format(Locale.ROOT, "%d candidates of the quickstart campaign (anynet space, evolution, %s), one "
                + "worker, cache off (a network proposed again reuses the campaign's own score; every other candidate trains). "
                + "Target: time outside training under 2%% of the whole.",
                r.candidates(), r.fidelity()));
        double w = r.wall();
        double scoring = r.evaluate() - r.training() - r.graphBuild();
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("training (epochs, incl. per-epoch validation for the learning curve)", r.training(), w, r.candidates()));
        rows.add(row("scoring after training (final validation, latency and throughput measurement; data preparation once)",
                scoring, w, r.candidates()));
        rows.add(row("**overhead**: search engine + DB + graph build", r.overhead(), w, r.candidates()));
        rows.add(row("&nbsp;&nbsp;search engine around the trainer (selection, dedup, decode, budget checks, DB)", w - r.evaluate(), w, r.candidates()));
        rows.add(row("&nbsp;&nbsp;&nbsp;&nbsp;of which DB (replay, cache lookups, commits)", r.db(), w, r.candidates()));
        rows.add(row("&nbsp;&nbsp;&nbsp;&nbsp;of which decode + validity/budget check", r.decodeAndValidity(), w, r.candidates()));
        rows.add(row("&nbsp;&nbsp;DL4J graph build and init", r.graphBuild(), w, r.candidates()));
        rows.add(row("whole campaign (wall)", w, w, r.candidates()));
        md.table(List.of("part", "seconds", "ms per candidate", "share"), rows);
        md.paragraph(String.format(Locale.ROOT, "**Overhead: %.2f%% of the campaign** (target < 2%%).", 100 * r.overhead() / w));
        return md;
    }

    private static List<String> row(String what, double seconds, double wall, int n) {
        return List.of(what, String.format(Locale.ROOT, "%.3f", seconds), String.format(Locale.ROOT, "%.1f", 1000 * seconds / n),
                String.format(Locale.ROOT, "%.2f%%", 100 * seconds / wall));
    }

    /** Sums the time spent in calls made through {@link #timed}. */
    private abstract static class Timed {
        long nanos;

        synchronized <T> T timed(Supplier<T> call) {
            long t0 = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - t0;
            }
        }
    }

    /** Time spent inside the trainer. */
    private static final class TimedTrainer extends Timed implements Trainer {
        private final Trainer delegate;

        TimedTrainer(Trainer delegate) {
            this.delegate = delegate;
        }

        @Override
        public EvaluationResult evaluate(Architecture architecture, Fidelity fidelity, org.anynas.trainer.TrainingLeg leg) {
            return timed(() -> delegate.evaluate(architecture, fidelity, leg));
        }

        @Override
        public String datasetKey() {
            return delegate.datasetKey();
        }

        @Override
        public String identity() {
            return delegate.identity();
        }
    }

    /** Time spent in the results database. */
    private static final class TimedLog extends Timed implements SearchLog {
        private final SearchLog delegate;

        TimedLog(SearchLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<Visit> replay(int seq) {
            return timed(() -> delegate.replay(seq));
        }

        @Override
        public Optional<EvaluationResult> cached(String archHash, Fidelity fidelity, int epochs) {
            return timed(() -> delegate.cached(archHash, fidelity, epochs));
        }

        @Override
        public long record(Visit visit, Fidelity fidelity) {
            return timed(() -> delegate.record(visit, fidelity));
        }

        @Override
        public void generation(GenerationStats stats) {
            timed(() -> {
                delegate.generation(stats);
                return null;
            });
        }
    }
}
