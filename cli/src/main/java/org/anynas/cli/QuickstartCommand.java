package org.anynas.cli;

import org.anynas.campaign.Campaign;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "quickstart", description = "A small real campaign on Fashion-MNIST (about 7 minutes on 2 cores), or with "
        + "--data on your own images: evolution over the AnyNet space, results in anynas-runs/quickstart.mv.db, best model "
        + "exported, report written.")
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the Fashion-MNIST files are (default: standard places).")
    Path dataDir;

    @Option(names = "--data", paramLabel = "FOLDER|CSV", description = "Your own images instead of Fashion-MNIST: a folder of "
            + "class folders (or train/, val/, test/ of class folders), or a CSV of path,label[,split]; sizes, colours and "
            + "formats are handled (see docs/datasets.md).")
    Path data;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "anynas-runs", description = "Run directory (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        String name = "quickstart-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path db = runsDir.resolve("quickstart");
        String yaml = "name: " + name + "\ndb: \"" + db + "\"\n" + (dataDir == null ? "" : "data_dir: \"" + dataDir + "\"\n")
                + (data == null ? "" : "dataset: \"" + data.toAbsolutePath().normalize() + "\"\n");
        CampaignConfig config = CampaignConfig.quickstart(yaml, "quickstart campaign");
        Path log = SearchCommand.logFile(db);
        Logging.defer(log, common.verbose); // created once nothing refuses the campaign
        System.out.printf("AnyNAS quickstart: campaign %s, evolution over the anynet space on %s,%n", name, config.dataset());
        System.out.printf("%d candidates at %s; log in %s%n", config.stop().maxEvaluations(), config.fidelity().oneLine(), log);
        StopSignal stop = StopSignal.install();
        ConsoleProgress progress = ConsoleProgress.forStdout(common.quiet);
        try {
            CampaignRunner.Outcome outcome = Campaign.builder(config).listener(progress).stop(stop::requested).onAccepted(Logging::open)
                    .build().run();
            progress.finish();
            CampaignReport.print(outcome, System.out, 5);
            if (stop.requested()) return 130;
            CampaignReport.exportBest(outcome, runsDir.resolve(name + "-best"), System.out);
            Path report = ReportCommand.write(outcome.db(), java.util.List.of(name), runsDir.resolve(name + "-report"), 5).index();
            System.out.printf("%nReport: %s%n", report.toAbsolutePath());
        } finally {
            progress.finish();
            stop.release();
        }
        return 0;
    }
}
