package org.anynas.search;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.trainer.TrainingLeg;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Promotion on a fidelity ladder (1 → 3 → 9 epochs, eta 3) with a trainer whose scores are given. */
public class LadderTest {
    public static final Fidelity NINE = Fidelity.proxy(9, 10, 10, 1);
    public static final Ladder ASHA = Ladder.of(1, 9, 3, Ladder.Rule.ASHA);
    /** First-rung score of the n-th network trained; each later rung adds 0.01 per epoch. */
    static final double[] SCORES = {0.50, 0.90, 0.70, 0.60, 0.95, 0.40, 0.80, 0.30, 0.85, 0.20, 0.10, 0.15};

    /** Scores by order of first training; writes the checkpoints it is asked for, and checks those it continues from. */
    static final class GivenScores extends FakeTrainer {
        final Map<String, Integer> index = new HashMap<>();
        final List<TrainingLeg> legs = new ArrayList<>();

        @Override
        public synchronized EvaluationResult evaluate(Architecture a, Fidelity f, TrainingLeg leg) {
            legs.add(leg);
            int n = index.computeIfAbsent(org.anynas.space.ArchitectureJson.hash(a), h -> index.size());
            try {
                if (leg.fromEpoch() > 0) {
                    assertThat(Files.readString(leg.resume())).isEqualTo(n + "@" + leg.fromEpoch()); // its own state
                }
                if (leg.save() != null) Files.writeString(leg.save(), n + "@" + leg.toEpoch());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            double s = SCORES[n] + (leg.toEpoch() == 1 ? 0 : 0.01 * leg.toEpoch());
            var g = a.graph();
            return new EvaluationResult(Status.OK, "", s, 1 - s, java.util.Collections.nCopies(leg.epochs(), 1.0),
                    java.util.Collections.nCopies(leg.epochs(), s), 0.001, 1e6, 0.1, 1e5, g.params(), g.macs(), "fake");
        }
    }

    static Search search(int evaluations, Ladder ladder, MemoryLog log, GivenScores trainer, Path dir) {
        return searchBuilder(evaluations, ladder, log, trainer, dir).build();
    }

    static Search.Builder searchBuilder(int evaluations, Ladder ladder, MemoryLog log, GivenScores trainer, Path dir) {
        SearchSettings s = new SearchSettings(Strategy.RANDOM, 4, 0.25, 3, 0, 1.0, 0.3, StopCriteria.evaluations(evaluations),
                SearchTest.BUDGET, 7, Objective.MACS, 1, 1);
        return Search.builder(SearchTest.LAYOUT, s, NINE).trainer(trainer).log(log).ladder(ladder, dir);
    }

    /** (network number, rung) of each training, as worked out by hand from SCORES. */
    static final List<List<Integer>> EXPECTED = List.of(List.of(0, 0), List.of(1, 0), List.of(2, 0), List.of(1, 1),
            List.of(3, 0), List.of(4, 0), List.of(4, 1), List.of(5, 0), List.of(6, 0), List.of(7, 0), List.of(8, 0),
            List.of(8, 1), List.of(4, 2), List.of(9, 0));

    /** Measured better than the median rule at equal compute (5 seeds, bench/results/ladder-budget30-toprung-parents-2026-11-27.md). */
    @Test
    void ashaIsTheDefault() {
        assertThat(new Ladder(1, 9, 3, null).rule()).isEqualTo(Ladder.Rule.ASHA); // a campaign file's too: ExamplesTest
    }

    /** Evolution's population: the youngest candidates at the highest rung that a whole population has reached. */
    @Test
    void parentsComeFromTheHighestRungThatAWholePopulationReached() {
        List<Visit> known = new ArrayList<>(); // oldest first, each at its highest rung
        for (int epochs : new int[]{9, 1, 3, 9, 1, 1, 3, 1, 9, 1, 3, 1, 1}) known.add(atEpochs(known.size() + 1, epochs));
        assertThat(RegularizedEvolution.population(known, 3)).extracting(Visit::seq).containsExactly(1, 4, 9);
        assertThat(RegularizedEvolution.population(known, 4)).extracting(Visit::seq).containsExactly(4, 7, 9, 11); // rung 3 or above
        assertThat(RegularizedEvolution.population(known, 7)).extracting(Visit::seq).containsExactly(7, 8, 9, 10, 11, 12, 13); // every rung: the youngest
        assertThat(RegularizedEvolution.population(known.subList(0, 8), 3)).extracting(Visit::seq).containsExactly(3, 4, 7);
        // without a ladder every candidate has the same epochs: the youngest ones, as plain aging has it
        List<Visit> plain = new ArrayList<>();
        for (int i = 1; i <= 6; i++) plain.add(atEpochs(i, 9));
        assertThat(RegularizedEvolution.population(plain, 4)).extracting(Visit::seq).containsExactly(3, 4, 5, 6);
    }

    /** Through the search: once a whole population has reached the top rung, every parent is a top-rung network. */
    @Test
    void evolutionOnALadderTakesItsParentsFromTheTopRung(@TempDir Path dir) {
        SearchSettings evolution = new SearchSettings(Strategy.EVOLUTION, 4, 0.25, 2, 0, 1.0, 0.3, StopCriteria.evaluations(80),
                SearchTest.BUDGET, 7, Objective.MACS, 1, 1);
        List<Visit> visits = Search.builder(SearchTest.LAYOUT, evolution, NINE).trainer(new FakeTrainer()).log(new MemoryLog())
                .ladder(Ladder.of(1, 9, 3, Ladder.Rule.MEDIAN), dir.resolve("ckpt")).build().run();
        Map<Long, Visit> byId = new HashMap<>();
        visits.forEach(v -> byId.put(v.candidateId(), v));
        List<String> top = visits.stream().filter(v -> v.epochs() == 9).map(Visit::hash).distinct().toList();
        assertThat(top).hasSizeGreaterThan(4);
        int fourthTop = visits.stream().filter(v -> v.epochs() == 9 && v.hash().equals(top.get(3))).findFirst().orElseThrow().seq();
        List<Visit> children = visits.stream().filter(v -> v.seq() > fourthTop && v.origin().matches("mutation|crossover.*")).toList();
        assertThat(children).hasSizeGreaterThan(10)
                .allSatisfy(c -> assertThat(c.parents()).allMatch(id -> byId.get(id).epochs() == 9));
    }

    private static Visit atEpochs(int seq, int epochs) {
        return new Visit(seq, seq, 1, "random", List.of(), new int[0], null, "h" + seq, null, false, false, 0, epochs, epochs);
    }

    /** Rungs are counted down from the top in steps of about eta: no last rung that only adds an epoch. */
    @Test
    void rungsStepByAboutEtaDownFromTheTop() {
        assertThat(Ladder.of(1, 9, 3, Ladder.Rule.ASHA).rungs()).containsExactly(1, 3, 9);
        assertThat(Ladder.of(1, 27, 3, Ladder.Rule.ASHA).rungs()).containsExactly(1, 3, 9, 27);
        assertThat(Ladder.of(1, 9, 2, Ladder.Rule.ASHA).rungs()).containsExactly(1, 2, 5, 9);
        assertThat(Ladder.of(1, 8, 2, Ladder.Rule.ASHA).rungs()).containsExactly(1, 2, 4, 8);
        assertThat(Ladder.of(1, 10, 3, Ladder.Rule.ASHA).rungs()).containsExactly(1, 3, 10);
        assertThat(Ladder.of(2, 20, 3, Ladder.Rule.ASHA).rungs()).containsExactly(2, 7, 20);
        assertThat(Ladder.of(2, 5, 3, Ladder.Rule.ASHA).rungs()).containsExactly(2, 5); // under one step: the first rung as asked
        assertThat(Ladder.none(9).rungs()).containsExactly(9);
    }

    @Test
    void ashaPromotesExactlyTheTopThirdOfEachRungAsResultsArrive(@TempDir Path dir) {
        GivenScores trainer = new GivenScores();
        List<Visit> visits = search(14, ASHA, new MemoryLog(), trainer, dir.resolve("ckpt")).run();
        assertThat(sequence(visits, trainer)).isEqualTo(EXPECTED);
        assertThat(visits).filteredOn(v -> v.rung() > 0).allMatch(v -> v.origin().equals("promotion"))
                .allMatch(v -> v.parents().size() == 1);
        assertThat(visits).extracting(Visit::epochs).containsExactly(1, 1, 1, 3, 1, 1, 3, 1, 1, 1, 1, 3, 9, 1);
        // promotions continue from the checkpoint below (the trainer checked it is this network's), the top rung saves none
        assertThat(trainer.legs.get(3)).isEqualTo(TrainingLeg.continuing(1, dir.resolve("ckpt").resolve(visits.get(1).hash() + "-e1.ckpt"),
                3, dir.resolve("ckpt").resolve(visits.get(1).hash() + "-e3.ckpt")));
        assertThat(trainer.legs.get(12).fromEpoch()).isEqualTo(3);
        assertThat(trainer.legs.get(12).save()).isNull();
        assertThat(visits).extracting(Visit::trainedEpochs).containsExactly(1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 2, 6, 1);
        // learning curves are continuous across rungs: the top rung's covers epochs 1 … 9
        assertThat(visits.get(12).result().trainLoss()).hasSize(9);
        assertThat(dir.resolve("ckpt")).doesNotExist(); // no orphaned checkpoint at the end
    }

    @Test
    void checkpointsGoAsSoonAsTheirNetworkCanNeverBePromoted(@TempDir Path dir) {
        // with 14 trainings at most, a network with 4 better ones at its rung can never be in the top ⌊14/3⌋ = 4
        GivenScores trainer = new GivenScores();
        List<String> left = new ArrayList<>();
        MemoryLog log = new MemoryLog() {
            @Override
            public synchronized long record(Visit visit, Fidelity fidelity) {
                if (visit.seq() == 11) { // the 11th training's checkpoint is written; nothing it depends on is deleted yet
                    try (var files = Files.list(dir.resolve("ckpt"))) {
                        files.forEach(f -> left.add(f.getFileName().toString()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return super.record(visit, fidelity);
            }
        };
        List<Visit> visits = search(14, ASHA, log, trainer, dir.resolve("ckpt")).run();
        assertThat(left).doesNotContain(visits.get(7).hash() + "-e1.ckpt"); // network 5 (0.40): six better ones at rung 0
        assertThat(left).contains(visits.get(2).hash() + "-e1.ckpt"); // network 2 (0.70): three better, may still rise
        assertThat(left).contains(visits.get(10).hash() + "-e1.ckpt", visits.get(3).hash() + "-e3.ckpt");
        assertThat(left).doesNotContain(visits.get(1).hash() + "-e1.ckpt"); // promoted and continued: its first rung is done
        assertThat(dir.resolve("ckpt")).doesNotExist();
    }

    @Test
    void aStoppedLadderKeepsItsCheckpointsAndResumesBetweenRungsToTheSameSequence(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        MemoryLog first = new MemoryLog();
        GivenScores before = new GivenScores();
        Search.Builder stopped = searchBuilder(14, ASHA, first, before, ckpt);
        stopped.stop(() -> first.recorded.size() >= 6).build().run(); // killed after 6 trainings: network 4 waits on rung 1
        assertThat(first.recorded).hasSize(6);
        assertThat(ckpt.resolve(first.recorded.get(5).hash() + "-e1.ckpt")).exists();

        MemoryLog resumed = new MemoryLog();
        for (Visit v : first.recorded) resumed.stored.put(v.seq(), v);
        GivenScores after = new GivenScores();
        after.index.putAll(before.index); // the same networks keep their scores
        List<Visit> visits = search(14, ASHA, resumed, after, ckpt).run();
        assertThat(sequence(visits, after)).isEqualTo(EXPECTED);
        assertThat(resumed.recorded).extracting(Visit::seq).allMatch(seq -> seq > 6);
        assertThat(after.legs.get(0).fromEpoch()).isEqualTo(1); // training 7 continued from the first run's checkpoint
        assertThat(ckpt).doesNotExist();
    }

    @Test
    void theMedianRuleContinuesEveryNetworkAtOrAboveItsRungsMedian(@TempDir Path dir) {
        GivenScores trainer = new GivenScores();
        List<Visit> visits = search(10, Ladder.of(1, 9, 3, Ladder.Rule.MEDIAN), new MemoryLog(), trainer, dir).run();
        // 0.50 0.90 0.70: median 0.70 → networks 1 (0.90) then 2 (0.70) continue; 0.50 does not
        assertThat(sequence(visits, trainer).subList(0, 5)).isEqualTo(List.of(List.of(0, 0), List.of(1, 0), List.of(2, 0),
                List.of(1, 1), List.of(2, 1)));
    }

    @Test
    void withoutALadderEveryCandidateTrainsTheWholeScheduleOnce(@TempDir Path dir) {
        GivenScores trainer = new GivenScores();
        List<Visit> visits = search(6, Ladder.none(9), new MemoryLog(), trainer, dir).run();
        assertThat(visits).extracting(Visit::rung).containsOnly(0);
        assertThat(trainer.legs).containsOnly(TrainingLeg.whole(NINE));
    }

    private static List<List<Integer>> sequence(List<Visit> visits, GivenScores trainer) {
        return visits.stream().map(v -> List.of(trainer.index.get(v.hash()), v.rung())).toList();
    }
}
