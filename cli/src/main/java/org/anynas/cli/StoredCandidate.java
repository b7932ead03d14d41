package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.EvaluationRow;
import org.anynas.db.ResultsStore;
import org.anynas.campaign.CampaignConfig;
import org.anynas.space.Architecture;

import java.nio.file.Path;

/**
 * A candidate of a results database with what training it again needs: its network, its score and fidelity,
 * and its campaign's configuration (dataset, split, seed). Export and final training both start here.
 */
record StoredCandidate(CandidateRow candidate, EvaluationRow evaluation, Architecture architecture, CampaignRow campaign,
                       CampaignConfig config, Path db) {

    static StoredCandidate load(ResultsStore store, long id) {
        CandidateRow c = store.candidate(id).orElseThrow(() -> new UserError("no candidate " + id + " in " + store.file()
                + " (./nas db top --db " + store.file() + " lists them)"));
        EvaluationRow e = store.evaluation(c.evaluationId()).orElseThrow();
        Architecture arch = store.architecture(c.archHash()).orElseThrow();
        CampaignRow campaign = store.campaign(c.campaignId()).orElseThrow();
        CampaignConfig config = CampaignConfig.parse(campaign.config(), "stored configuration of " + campaign.name());
        return new StoredCandidate(c, e, arch, campaign, config, store.file());
    }

    /** Where a model came from, as written into its summary. */
    String provenance() {
        return "campaign " + campaign.name() + ", candidate " + candidate.id() + ", " + db;
    }
}
