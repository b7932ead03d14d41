import org.anynas.campaign.Campaign;
import org.anynas.campaign.CampaignConfig;
import org.anynas.campaign.CampaignRunner;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * AnyNAS embedded in a JVM application: a campaign built from a campaign file (or a configuration) and run from
 * code, with a listener for its progress. Compiled and run by the campaign module's EmbeddedExampleTest.
 *
 * <p>Run it against the CLI's jars: {@code java -cp "cli/target/lib/*" examples/java/EmbeddedCampaign.java
 * examples/fashion-evolution.yaml} (Java 17 runs a single source file directly).
 */
public class EmbeddedCampaign {
    public static void main(String[] args) {
        CampaignConfig config = CampaignConfig.load(Path.of(args.length > 0 ? args[0] : "examples/fashion-evolution.yaml"));
        CampaignRunner.Outcome outcome = Campaign.builder(config)
                .listener(new SearchListener() {
                    @Override
                    public void visited(Visit visit, int done, int maxEvaluations) {
                        System.out.printf("candidate %d/%d: %s%n", done, maxEvaluations, visit.architecture().oneLine());
                    }
                })
                .build()
                .run();
        Visit best = outcome.visits().stream().filter(v -> v.result().ok())
                .max(Comparator.comparingDouble(v -> v.result().valAccuracy())).orElseThrow();
        System.out.printf("best of %d: val_acc %.4f, %s (results in %s)%n", outcome.visits().size(),
                best.result().valAccuracy(), best.architecture().oneLine(), outcome.db());
    }
}
