package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.Trainer;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.OpGraph;
import org.anynas.space.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * A trainer whose "accuracy" is a known function of the architecture: deep, wide-ish, kernel 3 networks win. Public:
 * the campaign module's tests run searches with it (search's test jar).
 */
public class FakeTrainer implements Trainer {
    public final List<Architecture> trained = java.util.Collections.synchronizedList(new ArrayList<>());

    static double score(Architecture a) {
        double s = 0.5;
        for (Stage st : a.stages()) {
            s += 0.02 * st.depth() + (st.kernel() == 3 ? 0.02 : 0) + (st.hasSe() ? 0.01 : 0) + st.width() / 4000.0;
        }
        return Math.min(0.99, s - 0.01 * Math.abs(a.stages().size() - 3));
    }

    @Override
    public EvaluationResult evaluate(Architecture a, Fidelity fidelity, TrainingLeg leg) {
        return evaluate(a, fidelity);
    }

    @Override
    public EvaluationResult evaluate(Architecture a, Fidelity fidelity) {
        trained.add(a);
        OpGraph g = a.graph();
        return new EvaluationResult(Status.OK, "", score(a), 1 - score(a), List.of(1.0), List.of(score(a)), 0.001, 1e6,
                0.1, 1e5, g.params(), g.macs(), "fake");
    }

    @Override
    public String datasetKey() {
        return "fake";
    }

    @Override
    public String identity() {
        return "fake";
    }
}
