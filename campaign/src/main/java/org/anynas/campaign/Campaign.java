package org.anynas.campaign;

import org.anynas.search.SearchListener;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * AnyNAS from Java: a campaign built once from a campaign file or a {@link CampaignConfig}, then run; the CLI's
 * {@code search} and {@code quickstart} (and so Spark's driver, which runs the CLI) start campaigns this way.
 *
 * <pre>{@code
 * CampaignRunner.Outcome outcome = Campaign.builder(Path.of("campaign.yaml")) // or builder(config), resuming(name, db)
 *         .listener(listener)        // progress: visits, generations, the backend chosen (optional)
 *         .stop(() -> stopRequested) // a user's stop: the run ends after recording what is in flight (optional)
 *         .build()
 *         .run();                    // blocks until a stop criterion; results are in outcome.db()
 * }</pre>
 *
 * <p>A campaign is a value: building checks nothing and writes nothing; {@link #run} refuses a campaign it cannot
 * run (a bad space or budget, a missing dataset, an unavailable backend, an existing name) with a
 * {@link org.anynas.space.UserInputException} before it writes any file. See {@code examples/java/}.
 */
public final class Campaign {
    private final CampaignConfig config; // null when resuming
    private final String resumeName;
    private final Path resumeDb;
    private final SearchListener listener;
    private final BooleanSupplier stop;
    private final Runnable accepted;

    private Campaign(Builder b) {
        this.config = b.config;
        this.resumeName = b.resumeName;
        this.resumeDb = b.resumeDb;
        this.listener = b.listener;
        this.stop = b.stop;
        this.accepted = b.accepted;
    }

    /** A new campaign with this configuration ({@link CampaignConfig#parse}, {@link CampaignConfig#quickstart}, ...). */
    public static Builder builder(CampaignConfig config) {
        return new Builder(Objects.requireNonNull(config), null, null);
    }

    /** A new campaign from a campaign file (the YAML that {@code ./nas search} reads). */
    public static Builder builder(Path campaignFile) {
        return builder(CampaignConfig.load(campaignFile));
    }

    /** The stored campaign {@code name} in the results database {@code db}, continued where it stopped. */
    public static Builder resuming(String name, Path db) {
        return new Builder(null, Objects.requireNonNull(name), Objects.requireNonNull(db));
    }

    /** The configuration of a new campaign; empty when resuming (a resume reads the stored one). */
    public Optional<CampaignConfig> config() {
        return Optional.ofNullable(config);
    }

    /** Runs the campaign to a stop criterion (or the stop request) and says what it produced. */
    public CampaignRunner.Outcome run() {
        return config != null ? CampaignRunner.start(config, listener, stop, accepted)
                : CampaignRunner.resume(resumeName, resumeDb, listener, stop, accepted);
    }

    /** How a {@link Campaign} is put together. */
    public static final class Builder {
        private final CampaignConfig config;
        private final String resumeName;
        private final Path resumeDb;
        private SearchListener listener = SearchListener.NONE;
        private BooleanSupplier stop = () -> false;
        private Runnable accepted = () -> { };

        private Builder(CampaignConfig config, String resumeName, Path resumeDb) {
            this.config = config;
            this.resumeName = resumeName;
            this.resumeDb = resumeDb;
        }

        /** Hears the campaign's progress (on the thread that runs it). */
        public Builder listener(SearchListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Polled while the campaign runs: once true, the candidates in flight are recorded and the run ends. */
        public Builder stop(BooleanSupplier stop) {
            this.stop = Objects.requireNonNull(stop);
            return this;
        }

        /** Runs once nothing refuses the campaign, before its first file is written (the CLI opens its log there). */
        public Builder onAccepted(Runnable accepted) {
            this.accepted = Objects.requireNonNull(accepted);
            return this;
        }

        public Campaign build() {
            return new Campaign(this);
        }
    }
}
