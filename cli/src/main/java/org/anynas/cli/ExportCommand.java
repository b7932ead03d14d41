package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.EvaluationRow;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;
import org.anynas.evaluator.ProxyTrainer;
import org.anynas.search.CampaignConfig;
import org.anynas.search.CampaignRunner;
import org.anynas.space.Architecture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "export", description = "Export a candidate as model.zip (DL4J), architecture.json and summary.txt.")
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
        Architecture arch;
        EvaluationRow evaluation;
        CampaignRow campaignRow;
        CandidateRow candidate;
        Path dbFile;
        try (ResultsStore store = open()) {
            dbFile = store.file();
            long id = which.best ? best(store) : which.candidate;
            candidate = store.candidate(id).orElseThrow(() -> new UserError("no candidate " + id + " in " + store.file()
                    + " (./nas db top lists them)"));
            evaluation = store.evaluation(candidate.evaluationId()).orElseThrow();
            if (!evaluation.ok()) {
                throw new UserError("candidate " + id + " has status " + evaluation.status() + ", nothing to export");
            }
            arch = store.architecture(candidate.archHash()).orElseThrow();
            campaignRow = store.campaign(candidate.campaignId()).orElseThrow();
        }
        Logging.configure(SearchCommand.logFile(dbFile), common.verbose);
        CampaignConfig config = CampaignConfig.parse(campaignRow.config(), "stored configuration of " + campaignRow.name());
        org.anynas.evaluator.ModelExport.checkTarget(out, force);
        ProxyTrainer trainer = CampaignRunner.trainer(config, () -> false);
        RetrainAndExport.run(trainer, arch, evaluation.fidelity(), evaluation.valAcc(),
                "campaign " + campaignRow.name() + ", candidate " + candidate.id() + ", " + dbFile, out, force, System.out);
        return 0;
    }

    private long best(ResultsStore store) {
        if (campaign != null && store.campaign(campaign).isEmpty()) {
            throw new UserError("no campaign '" + campaign + "' in " + store.file());
        }
        List<RankedCandidate> top = store.top(1, campaign);
        if (top.isEmpty()) throw new UserError("no successful candidate in " + store.file());
        return top.get(0).candidateId();
    }
}
