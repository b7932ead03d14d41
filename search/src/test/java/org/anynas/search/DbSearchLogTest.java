package org.anynas.search;

import org.anynas.db.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The score cache on the results database (H2): a campaign never trains a network twice; other campaigns' scores only with the cache on. */
class DbSearchLogTest {

    @Test
    void aCampaignTrainsEachNetworkOnceAndReusesOtherCampaignsScoresOnlyWithTheCacheOn(@TempDir Path dir) {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            FakeTrainer first = new FakeTrainer();
            List<Visit> visits = run(store, "first", false, first);
            long distinct = visits.stream().map(Visit::hash).distinct().count();
            assertThat(distinct).isLessThan(visits.size()); // evolution proposed repeats
            assertThat(first.trained).hasSize((int) distinct);
            assertThat(visits).filteredOn(Visit::cached).hasSize(visits.size() - (int) distinct);

            FakeTrainer cacheOff = new FakeTrainer();
            assertThat(run(store, "second", false, cacheOff)).extracting(Visit::hash)
                    .isEqualTo(visits.stream().map(Visit::hash).toList());
            assertThat(cacheOff.trained).hasSize((int) distinct); // trains its own, the first campaign's scores untouched

            FakeTrainer cacheOn = new FakeTrainer();
            assertThat(run(store, "third", true, cacheOn)).allMatch(Visit::cached);
            assertThat(cacheOn.trained).isEmpty();
        }
    }

    private static List<Visit> run(ResultsStore store, String name, boolean cache, FakeTrainer trainer) {
        long id = store.createCampaign(name, "evolution", "fake", "multibranch", "space", 3, "config").id();
        DbSearchLog log = new DbSearchLog(store, id, "fake", trainer.identity(), cache);
        return Search.of(SearchTest.LAYOUT, SearchTest.settings(Strategy.EVOLUTION, 3, 60, 1), SearchTest.F, trainer, log,
                SearchListener.NONE).run();
    }
}
