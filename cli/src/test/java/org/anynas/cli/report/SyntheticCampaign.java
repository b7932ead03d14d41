package org.anynas.cli.report;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.EvaluationRow;
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
            EvaluationRow e = new EvaluationRow(0, ArchitectureJson.hash(a), "fashion-mnist", "dl4j test, evaluator 3", FIDELITY,
                    diverged ? "diverged" : "ok", diverged ? "training loss became NaN" : "", diverged ? Double.NaN : acc,
                    diverged ? Double.NaN : 1 - acc, 2.5, 1200, 1.0 + params / 1e5, 4000, "synthetic-host", "cpu (test)",
                    diverged ? List.of(2.3) : List.of(1.6, 1.1 - acc / 4, 0.9 - acc / 3),
                    diverged ? List.of() : List.of(acc - 0.08, acc - 0.03, acc), 0, FIDELITY.epochs());
            CandidateRow row = store.recordCandidate(c.id(), seq, (seq - 1) / 20, parent == null ? "random" : "mutation",
                    parent, null, org.anynas.search.ArchitectureCodec.text(g), a, e, false);
            genes.add(g);
            ids.add(row.id());
            scores.add(diverged ? Double.NaN : acc);
        }
        store.setCampaignStatus(c.id(), "finished");
        return c;
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
