package org.anynas.cli;

import org.anynas.campaign.RetrainAndExport;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.campaign.CampaignRunner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Export a candidate as model.zip (DL4J), model.onnx (ONNX, checked in ONNX Runtime), architecture.json and summary.txt.")
final class ExportCommand extends DbCommand.DbOptions implements Callable<Integer> {

    static final class Which {
        @Option(names = "--best", description = "The best candidate (of --campaign, or of the whole database).")
        boolean best;

        @Option(names = "--candidate", paramLabel = "ID", description = "A candidate id (from ./nas db top).")
        Long candidate;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(names = "--campaign", paramLabel = "NAME", description = "With --best: only this campaign.")
    String campaign;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Export directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing, non-empty export directory.")
    boolean force;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        StoredCandidate c;
        try (ResultsStore store = open()) {
            c = StoredCandidate.load(store, which.best ? best(store, campaign) : which.candidate);
        }
        if (!c.evaluation().ok()) {
            throw new UserError("candidate " + c.candidate().id() + " has status " + c.evaluation().result().status().key()
                    + ", nothing to export");
        }
        Logging.configure(SearchCommand.logFile(c.db()), common.verbose);
        org.anynas.dl4j.ModelExport.checkTarget(out, force);
        ProxyTrainer trainer = CampaignRunner.trainer(c.config(), () -> false);
        RetrainAndExport.run(trainer, c.architecture(), c.evaluation().fidelity(), c.evaluation().result().valAccuracy(), c.provenance(),
                out, force, System.out);
        return 0;
    }

    /** What --best exports: the first network of db top (of {@code campaign}, or of the whole database when null). */
    static long best(ResultsStore store, String campaign) {
        if (campaign != null && store.campaign(campaign).isEmpty()) {
            throw new UserError("no campaign '" + campaign + "' in " + store.file());
        }
        List<RankedCandidate> top = store.top(1, campaign, "val_acc");
        if (top.isEmpty()) throw new UserError("no successful candidate in " + store.file());
        return top.get(0).candidateId();
    }
}
