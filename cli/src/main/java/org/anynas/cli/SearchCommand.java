package org.anynas.cli;

import org.anynas.db.ResultsStore;
import org.anynas.campaign.Campaign;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "search", description = "Run a campaign from a YAML file, or continue an interrupted one with --resume.")
final class SearchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CAMPAIGN.yaml", description = "Campaign file (see examples/).")
    Path campaignFile;

    @Option(names = "--resume", paramLabel = "NAME", description = "Continue the named campaign from its database.")
    String resume;

    @Option(names = "--db", paramLabel = "PATH", description = "Results database (with --resume; default: anynas-runs/NAME).")
    Path db;

    @Option(names = "--top", defaultValue = "10", description = "Candidates listed at the end (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if ((campaignFile == null) == (resume == null)) {
            throw new UserError("give either a campaign file or --resume NAME (see ./nas search --help)");
        }
        ConsoleProgress progress = ConsoleProgress.forStdout(common.quiet);
        StopSignal stop = StopSignal.install();
        try {
            CampaignRunner.Outcome outcome;
            if (resume != null) {
                Path path = db != null ? db : Path.of("anynas-runs", resume);
                // the log file comes once the resume is accepted: a missing database leaves no file or folder
                Logging.defer(logFile(path), common.verbose);
                // said once nothing refuses the resume, as the log file is created
                Runnable accepted = () -> {
                    Logging.open();
                    if (!common.quiet) System.out.printf("Resuming campaign %s from %s%n", resume, ResultsStore.normalise(path));
                };
                outcome = Campaign.resuming(resume, path).listener(progress).stop(stop::requested).onAccepted(accepted).build().run();
            } else {
                CampaignConfig config = CampaignConfig.load(campaignFile);
                // the log file comes once nothing refuses the campaign (see CampaignRunner.start)
                Logging.defer(logFile(config.dbPath()), common.verbose);
                // said once nothing refuses the campaign: a refused one prints only its error line
                Runnable accepted = () -> {
                    Logging.open();
                    if (!common.quiet) {
                        System.out.printf("Campaign %s: %s on %s, space %s, up to %d candidates, log in %s%n", config.name(),
                                config.strategy().key(), config.dataset(), config.space(), config.stop().maxEvaluations(),
                                logFile(config.dbPath()));
                    }
                };
                outcome = Campaign.builder(config).listener(progress).stop(stop::requested).onAccepted(accepted).build().run();
            }
            progress.finish();
            CampaignReport.print(outcome, System.out, top);
        } finally {
            progress.finish();
            stop.release();
        }
        return stop.requested() ? 130 : 0;
    }

    static Path logFile(Path db) {
        return CampaignRunner.logFile(db);
    }
}
