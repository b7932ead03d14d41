package org.anynas.cli;

import org.anynas.campaign.RetrainAndExport;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.Strategy;
import org.anynas.search.Visit;
import org.anynas.space.Architecture;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The end of a campaign: the best candidates as a table, and the commands to inspect and export them. */
final class CampaignReport {
    private CampaignReport() {
    }

    static void print(CampaignRunner.Outcome o, PrintStream out, int k) {
        List<Visit> visits = o.visits();
        long trained = visits.stream().filter(v -> !v.cached() && !v.replayed()).count();
        long cached = visits.stream().filter(Visit::cached).count();
        long failed = visits.stream().filter(v -> !v.result().ok()).count();
        out.printf(Locale.ROOT, "%nCampaign %s: %d candidates (%d trained now, %d cached, %d from before a resume, %d failed), status %s%n",
                o.campaign().name(), visits.size(), trained, cached, o.replayed(), failed, o.campaign().status());
        if (trained > 0) {
            out.printf(Locale.ROOT, "Slot utilisation %.0f%% over %d slot%s (busy slot-seconds / slot-seconds since the first training)%n",
                    100 * o.utilisation(), o.slots(), o.slots() == 1 ? "" : "s");
        }
        try (ResultsStore store = ResultsStore.openExisting(o.db())) {
            out.println();
            if (o.config().strategy() == Strategy.NSGA2) {
                String cost = o.config().objective().column();
                out.printf("Pareto set (val_acc up, %s down):%n", cost);
                DbQueries.pareto(store, List.of("val_acc", cost), o.campaign().name()).print(out, Table.Format.TABLE);
            } else {
                DbQueries.top(store, k, o.campaign().name(), "val_acc").print(out, Table.Format.TABLE);
            }
        }
        out.printf("%nResults database: %s%n", o.db());
        out.printf("  %s     (HTML report with figures)%n", ReportCommand.command(o.db(), o.campaign().name()));
        out.printf("  ./nas db top --db %s --campaign %s%n", o.db(), o.campaign().name());
        out.printf("  ./nas db pareto --db %s --campaign %s --objectives val_acc,%s%n", o.db(), o.campaign().name(),
                o.config().objective().column());
        out.printf("  ./nas export --db %s --best --campaign %s --out %s-best%n", o.db(), o.campaign().name(), o.campaign().name());
        out.printf("  ./nas train --db %s --finalists 3 --campaign %s --augment     (full training picks among the 3 best)%n",
                o.db(), o.campaign().name());
        if ("interrupted".equals(o.campaign().status())) {
            out.printf("  ./nas search --resume %s --db %s     (continue where it stopped)%n", o.campaign().name(), o.db());
        }
    }

    /** Retrains the best candidate (as export --best picks it: ResultsStore.top) at its search fidelity and exports it. */
    static void exportBest(CampaignRunner.Outcome o, Path dir, PrintStream out) {
        RankedCandidate best;
        Architecture arch;
        try (ResultsStore store = ResultsStore.openExisting(o.db())) {
            best = store.top(1, o.campaign().name(), "val_acc").stream().findFirst().orElse(null);
            arch = best == null ? null : store.architecture(best.archHash()).orElseThrow();
        }
        if (best == null) {
            out.println("No successful candidate to export.");
            return;
        }
        out.printf(Locale.ROOT, "%nExporting the best candidate (%d, val_acc %.4f).%n", best.candidateId(), best.valAcc());
        // the campaign's own dataset: a folder is not listed and opened again
        RetrainAndExport.run(org.anynas.campaign.Backends.dl4jTrainer(o.config(), o.dataset(), () -> false), arch, o.config().fidelity(), best.valAcc(),
                "campaign " + o.campaign().name() + ", candidate " + best.candidateId() + ", " + o.db(), dir, true, out);
    }
}
