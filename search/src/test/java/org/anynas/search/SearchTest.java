package org.anynas.search;

import org.anynas.space.Budget;
import org.anynas.space.DesignSpace;
import org.anynas.space.Fidelity;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.OpGraph;
import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class SearchTest {
    public static final GenotypeLayout LAYOUT = DesignSpace.load("multibranch").layout(Shape.of(1, 28, 28), 10);
    public static final Fidelity F = Fidelity.proxy(1, 10, 10, 1);
    static final Budget BUDGET = Budget.of(80_000, 8_000_000);

    public static SearchSettings settings(Strategy s, long seed, int evaluations, int workers) {
        return settings(s, seed, evaluations, workers, IN_FLIGHT);
    }

    static SearchSettings settings(Strategy s, long seed, int evaluations, int workers, int inFlight) {
        return new SearchSettings(s, 12, 0.25, 3, 0, 1.0, 0.3, StopCriteria.evaluations(evaluations), BUDGET, seed,
                Objective.MACS, workers, inFlight);
    }

    /** Fixed, so that runs on 1, 3 or 4 slots propose the same candidates. */
    static final int IN_FLIGHT = 4;

    static List<Visit> run(Strategy s, long seed, int evaluations, MemoryLog log, FakeTrainer trainer) {
        return Search.of(LAYOUT, settings(s, seed, evaluations, 1), F, trainer, log, SearchListener.NONE).run();
    }

    @Test
    void theFirstRejectedNetworkIsExplainedOnceAndNoneOverTheScaledBudgetIsTrained() {
        GenotypeLayout layout = DesignSpace.load("chain").layout(Shape.of(3, 32, 64), 10); // max_macs ×2 for 32×64
        List<String> reasons = new java.util.ArrayList<>();
        FakeTrainer trainer = new FakeTrainer();
        SearchSettings s = new SearchSettings(Strategy.EVOLUTION, 12, 0.25, 3, 0, 1.0, 0.3, StopCriteria.evaluations(30),
                Budget.unlimited(), 4, Objective.MACS, 1, IN_FLIGHT);
        Search.of(layout, s, F, trainer, new MemoryLog(), new SearchListener() {
            @Override
            public void rejection(String reason) {
                reasons.add(reason);
            }
        }).run();
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).matches("(params [0-9,]+ > max_params 300,000|MACs [0-9,]+ > max_macs 60,000,000)"
                + " \\(budget of space chain.*\\[3×32×64] inputs\\)");
        assertThat(trainer.trained).isNotEmpty().allSatisfy(a -> assertThat(a.graph().macs()).isLessThanOrEqualTo(60_000_000));
    }

    @Test
    void parallelWorkersGiveTheSameCandidatesAndScores() {
        for (Strategy s : Strategy.values()) {
            List<Visit> one = run(s, 8, 50, new MemoryLog(), new FakeTrainer());
            MemoryLog log = new MemoryLog();
            FakeTrainer trainer = new FakeTrainer();
            List<Visit> three = Search.of(LAYOUT, settings(s, 8, 50, 3), F, trainer, log, SearchListener.NONE).run();
            assertThat(three).extracting(Visit::hash).isEqualTo(one.stream().map(Visit::hash).toList());
            assertThat(three).extracting(Visit::fitness).isEqualTo(one.stream().map(Visit::fitness).toList());
            assertThat(log.recorded).extracting(Visit::seq).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
            assertThat(trainer.trained).hasSize((int) three.stream().map(Visit::hash).distinct().count());
        }
    }

    /**
     * Four slots with a trainer each (as PyTorch workers are), finishing in a scrambled order: with in_flight fixed,
     * the sequence is that of one slot (candidate n sees exactly the results of 1 … n − in_flight).
     */
    @Test
    void theCandidateSequenceDoesNotDependOnTheNumberOfSlotsOrTheirTiming() {
        for (Strategy s : Strategy.values()) {
            List<Visit> one = run(s, 11, 40, new MemoryLog(), new FakeTrainer());
            java.util.Random jitter = new java.util.Random(5);
            List<FakeTrainer> slots = java.util.stream.IntStream.range(0, 4).<FakeTrainer>mapToObj(i -> new FakeTrainer() {
                @Override
                public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity f) {
                    try {
                        Thread.sleep(jitter.nextInt(5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.evaluate(a, f);
                }
            }).toList();
            MemoryLog log = new MemoryLog();
            try (SlotPool pool = SlotPool.of(slots, () -> { })) {
                List<Visit> four = Search.of(LAYOUT, settings(s, 11, 40, 1), F, pool, log, SearchListener.NONE).run();
                assertThat(four).extracting(Visit::hash).isEqualTo(one.stream().map(Visit::hash).toList());
                assertThat(four).extracting(Visit::fitness).isEqualTo(one.stream().map(Visit::fitness).toList());
                assertThat(pool.utilisation()).isBetween(0.0, 1.0);
            }
            assertThat(slots.stream().mapToInt(t -> t.trained.size()).sum())
                    .isEqualTo((int) one.stream().map(Visit::hash).distinct().count());
        }
    }

    /** Steady state: a finished slot gets the next child at once, so all four slots train together, never more. */
    @Test
    void evolutionKeepsEverySlotBusyUpToInFlight() {
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger fourAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        FakeTrainer slow = new FakeTrainer() {
            @Override
            public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity f) {
                int n = now.incrementAndGet();
                most.accumulateAndGet(n, Math::max);
                if (n == 4) fourAtOnce.incrementAndGet();
                try {
                    Thread.sleep(2 + Math.floorMod(a.hashCode(), 10)); // candidates of different cost
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                now.decrementAndGet();
                return super.evaluate(a, f);
            }
        };
        try (SlotPool pool = SlotPool.shared(slow, 8)) {
            List<Visit> visits = Search.of(LAYOUT, settings(Strategy.EVOLUTION, 3, 60, 1), F, pool, new MemoryLog(),
                    SearchListener.NONE).run();
            assertThat(visits).hasSize(60);
        }
        assertThat(most.get()).isEqualTo(IN_FLIGHT);
        assertThat(fourAtOnce.get()).isGreaterThan(10); // not just at the start: a generation barrier would drain the slots
    }

    /**
     * Slot utilisation (busy slot-seconds / slot-seconds) with candidates of 100 to 300 ms on 4 slots at the default
     * in_flight (8): only the tail of the run leaves slots idle. (Generations of 3 offspring, as before, kept at most
     * 3 of 4 slots busy.)
     */
    @Test
    void slotUtilisationStaysHighWithCandidatesOfDifferentCost() {
        FakeTrainer slow = new FakeTrainer() {
            @Override
            public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity f) {
                try {
                    Thread.sleep(100 + Math.floorMod(org.anynas.space.ArchitectureJson.hash(a).hashCode(), 201));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.evaluate(a, f);
            }
        };
        try (SlotPool pool = SlotPool.shared(slow, 4)) {
            Search.of(LAYOUT, settings(Strategy.EVOLUTION, 4, 60, 1, 0), F, pool, new MemoryLog(), SearchListener.NONE).run();
            System.out.printf(java.util.Locale.ROOT, "slot utilisation, 4 slots, 60 candidates of 100-300 ms: %.1f%%%n",
                    100 * pool.utilisation());
            assertThat(pool.utilisation()).isGreaterThan(0.85); // 92.7 % measured on 2 cores under load 10; 74.5 % with in_flight 4
        }
    }

    /**
     * The store is only touched on the search's thread: an H2 write on a slot's thread that the pool interrupts when
     * it closes ({@code shutdownNow}) would close the whole database. Three slots finishing in a scrambled order, with
     * repeats trained once while their twin is in flight (the cache is read when the twin ends).
     */
    @Test
    void everyCommitAndCacheReadHappensOnTheSearchsThread() {
        for (Strategy s : Strategy.values()) {
            java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            MemoryLog log = new MemoryLog() {
                @Override
                public synchronized java.util.Optional<org.anynas.trainer.EvaluationResult> cached(String h, Fidelity f, int e) {
                    threads.add(Thread.currentThread().getName());
                    return super.cached(h, f, e);
                }

                @Override
                public synchronized long record(Visit visit, Fidelity fidelity) {
                    threads.add(Thread.currentThread().getName());
                    return super.record(visit, fidelity);
                }
            };
            java.util.Random jitter = new java.util.Random(3);
            FakeTrainer slow = new FakeTrainer() {
                @Override
                public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity f) {
                    try {
                        Thread.sleep(1 + jitter.nextInt(4));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.evaluate(a, f);
                }
            };
            List<Visit> visits;
            try (SlotPool pool = SlotPool.shared(slow, 3)) {
                visits = Search.of(LAYOUT, settings(s, 9, 80, 1, 6), F, pool, log, SearchListener.NONE).run();
            }
            assertThat(visits).hasSize(80);
            if (s == Strategy.EVOLUTION) assertThat(visits.stream().filter(Visit::cached).count()).as("repeats").isPositive();
            assertThat(threads).as(s + ": threads that touched the store").containsExactly(Thread.currentThread().getName());
        }
    }

    /**
     * A candidate whose training throws ends the search, and the results the slots had already handed over are still
     * committed. The pool below has them all handed over, the failure first, before the search waits for any.
     */
    @Test
    void aFailingTrainingStillCommitsTheCandidatesThatHadFinished() {
        FakeTrainer trainer = new FakeTrainer();
        EvaluationPool pool = new EvaluationPool() {
            int submitted;

            @Override
            public java.util.concurrent.CompletableFuture<org.anynas.trainer.EvaluationResult> submit(
                    org.anynas.space.Architecture a, Fidelity f, org.anynas.trainer.TrainingLeg leg) {
                return ++submitted == 1 ? java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("planted bug"))
                        : java.util.concurrent.CompletableFuture.completedFuture(trainer.evaluate(a, f));
            }

            @Override
            public int slots() {
                return 4;
            }

            @Override
            public String trainerIdentity() {
                return trainer.identity();
            }

            @Override
            public double utilisation() {
                return 1;
            }

            @Override
            public void close() {
            }
        };
        MemoryLog log = new MemoryLog();
        Search search = Search.of(LAYOUT, settings(Strategy.RANDOM, 2, 4, 1, 4), F, pool, log, SearchListener.NONE);
        assertThatThrownBy(search::run).hasMessageContaining("planted bug");
        assertThat(log.recorded).extracting(Visit::seq).containsExactly(2, 3, 4);
    }

    /**
     * NSGA-II's engine runs on a thread of its own; when scoring fails, the failure reaches the caller, the results
     * committed before it stay, and the engine's thread ends with the run.
     */
    @Test
    void aFailureDuringNsga2EndsTheRunAndItsEngineThread() {
        FakeTrainer failing = new FakeTrainer() {
            @Override
            public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity fidelity) {
                if (trained.size() >= 15) throw new IllegalStateException("planted bug");
                return super.evaluate(a, fidelity);
            }
        };
        MemoryLog log = new MemoryLog();
        assertThatThrownBy(() -> run(Strategy.NSGA2, 3, 60, log, failing)).hasMessageContaining("planted bug");
        assertThat(log.recorded).hasSize(15);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("anynas-nsga2") && t.isAlive());
    }

    /**
     * NSGA-II proposes a generation once the previous one is told: on 4 slots, no training of a generation starts
     * before every training of the generations before it has ended.
     */
    @Test
    void nsga2TrainsOneGenerationAtATime() {
        List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        FakeTrainer logging = new FakeTrainer() {
            @Override
            public org.anynas.trainer.EvaluationResult evaluate(org.anynas.space.Architecture a, Fidelity fidelity) {
                String hash = org.anynas.space.ArchitectureJson.hash(a);
                events.add("start " + hash);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("end " + hash);
                return super.evaluate(a, fidelity);
            }
        };
        List<Visit> visits;
        try (SlotPool pool = SlotPool.shared(logging, 4)) {
            visits = Search.of(LAYOUT, settings(Strategy.NSGA2, 2, 60, 4), F, pool, new MemoryLog(), SearchListener.NONE).run();
        }
        java.util.Map<String, Integer> generation = new java.util.HashMap<>();
        for (Visit v : visits) if (!v.cached()) generation.putIfAbsent(v.hash(), v.generation());
        java.util.Map<Integer, Integer> running = new java.util.HashMap<>(); // trainings started and not ended, by generation
        for (String e : events) {
            int g = generation.get(e.substring(e.indexOf(' ') + 1));
            if (e.startsWith("start ")) {
                assertThat(running.entrySet()).as(e).noneMatch(r -> r.getKey() < g && r.getValue() > 0);
                running.merge(g, 1, Integer::sum);
            } else {
                running.merge(g, -1, Integer::sum);
            }
        }
        assertThat(generation.values().stream().distinct().count()).isGreaterThan(3);
    }

    @Test
    void sameSeedGivesTheSameCandidateSequence() {
        for (Strategy s : Strategy.values()) {
            List<String> a = run(s, 5, 60, new MemoryLog(), new FakeTrainer()).stream().map(Visit::hash).toList();
            List<String> b = run(s, 5, 60, new MemoryLog(), new FakeTrainer()).stream().map(Visit::hash).toList();
            List<String> c = run(s, 6, 60, new MemoryLog(), new FakeTrainer()).stream().map(Visit::hash).toList();
            assertThat(a).hasSize(60).isEqualTo(b).isNotEqualTo(c);
        }
    }

    @Test
    void noCandidateEverExceedsTheBudgetAndDuplicatesAreNotRetrained() {
        for (Strategy s : Strategy.values()) {
            MemoryLog log = new MemoryLog();
            FakeTrainer trainer = new FakeTrainer();
            List<Visit> visits = run(s, 9, 80, log, trainer);
            assertThat(visits).hasSize(80);
            for (Visit v : visits) {
                OpGraph g = v.architecture().graph();
                assertThat(g.params()).isLessThanOrEqualTo(BUDGET.maxParams());
                assertThat(g.macs()).isLessThanOrEqualTo(BUDGET.maxMacs());
                assertThat(v.result().ok()).isTrue();
            }
            long distinct = visits.stream().map(Visit::hash).distinct().count();
            assertThat(trainer.trained).hasSize((int) distinct);
            assertThat(visits.stream().filter(Visit::cached).count()).isEqualTo(visits.size() - distinct);
        }
    }

    @Test
    void evolutionBeatsRandomSearchAtEqualBudgetOnNineOfTenSeeds() {
        int wins = 0;
        for (long seed = 1; seed <= 10; seed++) {
            // in_flight 1: the strategy itself, without the staleness of proposing while others train
            double evo = best(Search.of(LAYOUT, settings(Strategy.EVOLUTION, seed, 120, 1, 1), F, new FakeTrainer(), new MemoryLog(),
                    SearchListener.NONE).run());
            double rnd = best(run(Strategy.RANDOM, seed, 120, new MemoryLog(), new FakeTrainer()));
            if (evo > rnd) wins++;
        }
        assertThat(wins).isGreaterThanOrEqualTo(9);
    }

    @Test
    void resumeReplaysStoredVisitsWithoutRetrainingAndContinues() {
        MemoryLog first = new MemoryLog();
        List<Visit> full = run(Strategy.EVOLUTION, 3, 50, new MemoryLog(), new FakeTrainer());
        List<Visit> partial = run(Strategy.EVOLUTION, 3, 20, first, new FakeTrainer());
        assertThat(partial).extracting(Visit::hash).isEqualTo(full.subList(0, 20).stream().map(Visit::hash).toList());

        MemoryLog resumed = new MemoryLog();
        for (Visit v : first.recorded) resumed.stored.put(v.seq(), v);
        FakeTrainer trainer = new FakeTrainer();
        List<Visit> continued = run(Strategy.EVOLUTION, 3, 50, resumed, trainer);
        assertThat(continued).extracting(Visit::hash).isEqualTo(full.stream().map(Visit::hash).toList());
        assertThat(resumed.recorded).extracting(Visit::seq).allMatch(seq -> seq > 20);
        assertThat(resumed.recorded).hasSize(30);
    }

    @Test
    void resumeWithDifferentSettingsIsDetected() {
        MemoryLog first = new MemoryLog();
        run(Strategy.EVOLUTION, 3, 10, first, new FakeTrainer());
        MemoryLog resumed = new MemoryLog();
        for (Visit v : first.recorded) resumed.stored.put(v.seq(), v);
        assertThatThrownBy(() -> run(Strategy.EVOLUTION, 4, 20, resumed, new FakeTrainer()))
                .isInstanceOf(org.anynas.space.UserInputException.class).hasMessageContaining("cannot resume: this AnyNAS proposes candidate");
    }

    @Test
    void offspringRecordTheirOriginAndEarlierParents() {
        MemoryLog log = new MemoryLog();
        List<Visit> visits = run(Strategy.EVOLUTION, 2, 60, log, new FakeTrainer());
        assertThat(visits.subList(0, 12)).allMatch(v -> v.origin().equals("random") && v.parents().isEmpty());
        List<Visit> offspring = visits.subList(12, visits.size());
        assertThat(offspring).extracting(Visit::origin).contains("mutation").anyMatch(o -> o.startsWith("crossover"))
                .allMatch(o -> List.of("random", "mutation", "crossover", "crossover+mutation").contains(o));
        for (Visit v : offspring) {
            if (v.origin().equals("random")) continue;
            assertThat(v.parents()).isNotEmpty().allMatch(id -> id < v.candidateId());
        }
    }

    @Test
    void mutationAlwaysChangesTheNetwork() {
        ArchitectureCodec codec = ArchitectureCodec.of(LAYOUT);
        ArchitectureMutator mutator = new ArchitectureMutator(1.0, codec, new Lineage());
        java.util.Random random = new java.util.Random(1);
        org.anynas.space.Sampler sampler = org.anynas.space.Sampler.of(LAYOUT);
        for (int i = 0; i < 300; i++) {
            int[] genes = sampler.randomGenes(random);
            int[] child = mutator.mutate(genes, random);
            assertThat(child).isNotNull();
            assertThat(LAYOUT.decode(child)).isNotEqualTo(LAYOUT.decode(genes));
        }
    }

    @Test
    void nsga2ReturnsAMutuallyNonDominatedSetSpanningAccuracyAndCost() {
        List<Visit> visits = run(Strategy.NSGA2, 4, 120, new MemoryLog(), new FakeTrainer());
        assertThat(visits).hasSize(120);
        java.util.Map<String, Visit> distinct = new java.util.LinkedHashMap<>();
        for (Visit v : visits) if (v.result().ok()) distinct.putIfAbsent(v.hash(), v);
        List<Visit> front = org.anynas.db.Pareto.front(List.copyOf(distinct.values()),
                org.anynas.db.Pareto.Objective.max(v -> v.result().valAccuracy()),
                org.anynas.db.Pareto.Objective.min(v -> Objective.MACS.cost(v.result())));
        assertThat(front.size()).isGreaterThan(2);
        for (Visit a : front) {
            for (Visit b : front) {
                boolean dominates = b.result().valAccuracy() >= a.result().valAccuracy() && b.result().macs() <= a.result().macs()
                        && (b.result().valAccuracy() > a.result().valAccuracy() || b.result().macs() < a.result().macs());
                assertThat(dominates).as("%s dominates %s", b.hash(), a.hash()).isFalse();
            }
        }
        // and the front is really the front of everything visited
        for (Visit v : visits) {
            assertThat(front).anyMatch(f -> f.result().valAccuracy() >= v.result().valAccuracy() && f.result().macs() <= v.result().macs());
        }
        List<String> again = run(Strategy.NSGA2, 4, 120, new MemoryLog(), new FakeTrainer()).stream().map(Visit::hash).toList();
        assertThat(again).isEqualTo(visits.stream().map(Visit::hash).toList());
    }

    private static double best(List<Visit> visits) {
        return visits.stream().mapToDouble(Visit::fitness).max().orElseThrow();
    }
}
