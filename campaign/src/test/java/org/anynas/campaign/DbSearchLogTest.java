package org.anynas.campaign;

import org.anynas.search.FakeTrainer;
import org.anynas.search.LadderTest;
import org.anynas.search.Search;
import org.anynas.search.SearchSettings;
import org.anynas.search.SearchTest;
import org.anynas.search.Strategy;
import org.anynas.search.Visit;

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
            assertThat(evaluations(store, "second")).doesNotContainAnyElementsOf(evaluations(store, "first"));

            FakeTrainer cacheOn = new FakeTrainer();
            assertThat(run(store, "third", true, cacheOn)).allMatch(Visit::cached);
            assertThat(cacheOn.trained).isEmpty();
        }
    }

    /** A score reused from another campaign's ladder carries that campaign's rung; resuming must not take it for its own. */
    @Test
    void aCampaignThatReusedAnotherLaddersTopRungResumes(@TempDir Path dir) {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            SearchSettings random = SearchTest.settings(Strategy.RANDOM, 5, 30, 1);
            FakeTrainer trainer = new FakeTrainer();
            search(store, campaign(store, "laddered"), random, LadderTest.NINE, trainer, true)
                    .ladder(LadderTest.ASHA, dir.resolve("ckpt")).build().run();

            long plain = campaign(store, "plain");
            List<Visit> first = search(store, plain, random, LadderTest.NINE, trainer, true).build().run();
            assertThat(first).anyMatch(Visit::cached); // a 9-epoch score of the ladder's top rung (rung 2 there)
            List<Visit> resumed = search(store, plain, random, LadderTest.NINE, trainer, true).build().run();
            assertThat(resumed).allMatch(Visit::replayed).allMatch(v -> v.rung() == 0 && v.epochs() == 9)
                    .extracting(Visit::hash).isEqualTo(first.stream().map(Visit::hash).toList());
        }
    }

    private static List<Visit> run(ResultsStore store, String name, boolean cache, FakeTrainer trainer) {
        return search(store, campaign(store, name), SearchTest.settings(Strategy.EVOLUTION, 3, 60, 1), SearchTest.F, trainer, cache).build().run();
    }

    private static long campaign(ResultsStore store, String name) {
        return store.createCampaign(name, "search", "fake", "multibranch", "space", 3, "config").id();
    }

    /** A search of campaign {@code id} logged to the database (a second search of the same campaign resumes it). */
    private static Search.Builder search(ResultsStore store, long id, SearchSettings s, org.anynas.space.Fidelity f,
                                         FakeTrainer trainer, boolean cache) {
        return Search.builder(SearchTest.LAYOUT, s, f).trainer(trainer).log(new DbSearchLog(store, id, "fake", trainer.identity(), cache));
    }

    private static List<Long> evaluations(ResultsStore store, String campaign) {
        return store.candidates(store.campaign(campaign).orElseThrow().id()).stream().map(c -> c.evaluationId()).toList();
    }
}
