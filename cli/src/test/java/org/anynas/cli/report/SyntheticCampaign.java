package org.anynas.cli.report;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.EvaluationRow;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.db.ResultsStore;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.DesignSpace;
import org.anynas.space.Fidelity;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.Sampler;
import org.anynas.space.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A campaign of real AnyNet architectures with made-up scores, written through the store as a search would:
 * random candidates first, then one-gene mutations of good ones (so lineages exist), every 37th one diverged.
 * The score grows with log(params) plus noise, so the design-space figures have something to show.
 */
public final class SyntheticCampaign {
    private SyntheticCampaign() {
    }

    static final Fidelity FIDELITY = Fidelity.proxy(3, 1000, 500, 1);

    public static CampaignRow write(ResultsStore store, String name, int candidates, long seed) {
        GenotypeLayout layout = DesignSpace.load("anynet").layout(Shape.of(1, 28, 28), 10);
        Sampler sampler = Sampler.of(layout);
        SplittableRandom random = new SplittableRandom(seed);
        CampaignRow c = store.createCampaign(name, "evolution", "fashion-mnist", "anynet", "{}", seed,
                "name: " + name + "\nstrategy: evolution\nspace: anynet\n");
        List<int[]> genes = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int seq = 1; seq <= candidates; seq++) {
            int[] g;
            Long parent = null;
            if (seq <= 20) {
                g = sampler.sample(random, 10_000);
            } else {
                int p = best(scores, random);
                parent = ids.get(p);
                g = genes.get(p).clone();
                for (int tries = 0; tries < 100; tries++) {
                    int[] m = g.clone();
                    int i = random.nextInt(m.length);
                    m[i] = random.nextInt(layout.size(i));
                    if (sampler.accepts(m)) {
                        g = m;
                        break;
                    }
                }
            }
            Architecture a = layout.decode(g);
            long params = a.graph().params();
            boolean diverged = seq % 37 == 0;
            double acc = Math.min(0.95, 0.55 + 0.03 * Math.log(params) + 0.02 * random.nextGaussian() - 0.1);
            EvaluationResult r = new EvaluationResult(diverged ? Status.DIVERGED : Status.OK,
                    diverged ? "training loss became NaN" : "", diverged ? Double.NaN : acc, diverged ? Double.NaN : 1 - acc,
                    diverged ? List.of(2.3) : List.of(1.6, 1.1 - acc / 4, 0.9 - acc / 3),
                    diverged ? List.of() : List.of(acc - 0.08, acc - 0.03, acc), 2.5, 1200, 1.0 + params / 1e5, 4000,
                    params, a.graph().macs(), "cpu (test)");
            EvaluationRow e = EvaluationRow.of(ArchitectureJson.hash(a), "fashion-mnist", "dl4j test, evaluator 3", FIDELITY, r,
                    "synthetic-host", 0, FIDELITY.epochs());
            CandidateRow row = store.recordCandidate(c.id(), seq, (seq - 1) / 20, parent == null ? "random" : "mutation",
                    parent, null, org.anynas.search.ArchitectureCodec.text(g), a, e, false);
            genes.add(g);
            ids.add(row.id());
            scores.add(diverged ? Double.NaN : acc);
        }
        store.setCampaignStatus(c.id(), "finished");
        return c;
    }

    /**
     * A campaign on a ladder of 1, 3 and 9 epochs, as the search records one: every network trains the first rung,
     * the best third of each rung is promoted as a new candidate (origin "promotion", parent the candidate below)
     * whose score is higher only for having trained longer. Returns the hash of the best network at the top rung.
     */
    public static String writeLadder(ResultsStore store, String name, int networks, long seed) {
        GenotypeLayout layout = DesignSpace.load("anynet").layout(Shape.of(1, 28, 28), 10);
        Sampler sampler = Sampler.of(layout);
        SplittableRandom random = new SplittableRandom(seed);
        Fidelity top = Fidelity.proxy(9, 1000, 500, 1);
        CampaignRow c = store.createCampaign(name, "evolution", "fashion-mnist", "anynet", "{}", seed,
                "name: " + name + "\nstrategy: evolution\nmulti_fidelity: {min_epochs: 1, max_epochs: 9, eta: 3}\n");
        record Trained(long id, int[] genes, Architecture a, double acc) {
        }
        List<Trained> rung = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < networks; i++) {
            int[] g = sampler.sample(random, 10_000);
            Architecture a = layout.decode(g);
            double acc = 0.60 + 0.2 * random.nextDouble();
            rung.add(new Trained(record(store, c.id(), ++seq, g, a, acc, 0, 1, top, null), g, a, acc));
        }
        String best = null;
        int[] epochs = {1, 3, 9};
        for (int k = 1; k < epochs.length; k++) {
            List<Trained> promoted = new ArrayList<>();
            for (Trained t : rung.stream().sorted((x, y) -> Double.compare(y.acc(), x.acc())).limit(Math.max(1, rung.size() / 3)).toList()) {
                double acc = t.acc() + 0.05; // trained longer, not a better network
                promoted.add(new Trained(record(store, c.id(), ++seq, t.genes(), t.a(), acc, k, epochs[k], top, t.id()), t.genes(), t.a(), acc));
            }
            rung = promoted;
            best = ArchitectureJson.hash(rung.get(0).a());
        }
        store.setCampaignStatus(c.id(), "finished");
        return best;
    }

    private static long record(ResultsStore store, long campaign, int seq, int[] g, Architecture a, double acc, int rung,
                               int rungEpochs, Fidelity f, Long parent) {
        List<Double> loss = new ArrayList<>();
        List<Double> curve = new ArrayList<>();
        for (int e = 1; e <= rungEpochs; e++) {
            loss.add(1.5 / e);
            curve.add(acc - 0.02 * (rungEpochs - e));
        }
        EvaluationResult r = new EvaluationResult(Status.OK, "", acc, 1 - acc, loss, curve, 2.5, 1200, 1.0, 4000,
                a.graph().params(), a.graph().macs(), "cpu (test)");
        EvaluationRow e = EvaluationRow.of(ArchitectureJson.hash(a), "fashion-mnist", "dl4j test, evaluator 3", f, r,
                "synthetic-host", rung, rungEpochs);
        return store.recordCandidate(campaign, seq, 0, parent == null ? "random" : "promotion", parent, null,
                org.anynas.search.ArchitectureCodec.text(g), a, e, false).id();
    }

    /** Tournament of three: the index of the best-scoring of three random earlier candidates. */
    private static int best(List<Double> scores, SplittableRandom random) {
        int winner = random.nextInt(scores.size());
        for (int i = 0; i < 2; i++) {
            int other = random.nextInt(scores.size());
            if (!(scores.get(winner) >= scores.get(other))) winner = other; // NaN (failed) always loses
        }
        return winner;
    }
}
