package org.anynas.db;

import org.anynas.space.Activation;
import org.anynas.space.Architecture;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.BlockType;
import org.anynas.space.Fidelity;
import org.anynas.space.Head;
import org.anynas.space.Shape;
import org.anynas.space.Stage;
import org.anynas.space.Stem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultsStoreTest {
    static final Fidelity F = Fidelity.proxy(2, 100, 50, 1);
    static final String DL4J = "dl4j 1.0.0-M2.1 cpu, evaluator 2";

    static Architecture arch(int width) {
        return Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(8, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 2, width), Stage.of(BlockType.PLAIN, 1, width * 2)), Head.of(0));
    }

    static EvaluationRow ok(Architecture a, double acc) {
        return EvaluationRow.of(ArchitectureJson.hash(a), "fashion-mnist", DL4J, F, new EvaluationResult(Status.OK, "", acc, 0.5,
                List.of(1.2, 0.8), List.of(acc - 0.1, acc), 3.0, 900, 1.2, 5000, a.graph().params(), a.graph().macs(), "cpu"),
                "host", 0, F.epochs());
    }

    @Test
    void migratesAFreshDatabaseAndStoresCandidatesWithCurvesAndDenormalisedGenes(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("runs/test"))) {
            CampaignRow c = store.createCampaign("c1", "evolution", "fashion-mnist", "anynet", "space: yaml", 1, "config");
            store.recordCandidate(c.id(), 1, 1, "random", null, null, "0,1", arch(16), ok(arch(16), 0.81), false);
            store.recordCandidate(c.id(), 2, 1, "random", null, null, "0,2", arch(32), ok(arch(32), 0.86), false);
            List<RankedCandidate> top = store.top(5, "c1", "val_acc");
            assertThat(top).extracting(RankedCandidate::valAcc).containsExactly(0.86, 0.81);
            // any numeric column of the results view ranks; size is minimised
            assertThat(store.top(5, "c1", "params")).extracting(RankedCandidate::params)
                    .isSorted().hasSize(2).doesNotHaveDuplicates();
            assertThat(store.top(5, "c1", "params").get(0).score()).isEqualTo(store.top(5, "c1", "params").get(0).params());
            assertThatThrownBy(() -> store.top(5, "c1", "val_acc; DROP TABLE campaign")).isInstanceOf(StoreException.class)
                    .hasMessageContaining("not a column");
            EvaluationRow stored = store.evaluation(store.candidates(c.id()).get(1).evaluationId()).orElseThrow();
            // resume reads the same in one query: candidates in seq order with their evaluations, curves and networks
            List<ResultsStore.StoredCandidate> all = store.storedCandidates(c.id());
            assertThat(all).extracting(x -> x.candidate().seq()).containsExactly(1, 2);
            assertThat(all.get(1).evaluation()).isEqualTo(stored);
            assertThat(all.get(1).candidate()).isEqualTo(store.candidates(c.id()).get(1));
            assertThat(all.get(0).architecture()).isEqualTo(store.architecture(all.get(0).candidate().archHash()).orElseThrow());
            // one record from trainer to row: what the trainer returned comes back unchanged (params and MACs from the network)
            assertThat(stored.result()).isEqualTo(ok(arch(32), 0.86).result());
            assertThat(stored.result().trainLoss()).containsExactly(1.2, 0.8);
            assertThat(stored.fidelity()).isEqualTo(F);
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT s1_block, s1_width, s2_block, COUNT(*) FROM architecture GROUP BY s1_block, s1_width, s2_block ORDER BY s1_width")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("residual");
                assertThat(rs.getInt(2)).isEqualTo(16);
                assertThat(rs.getString(3)).isEqualTo("plain");
            }
        }
        assertThat(dir.resolve("runs/test.mv.db")).exists();
    }

    @Test
    void anXStageKeepsItsGroupWidthAndOtherStagesHaveNone(@TempDir Path dir) throws Exception {
        Architecture x = Architecture.of(Shape.of(1, 28, 28), 10, Activation.RELU, Stem.of(16, 3, 1),
                List.of(Stage.of(BlockType.RESIDUAL, 1, 16), Stage.x(2, 32, 3, 0.5, 8, 0, org.anynas.space.Downsample.STRIDE)),
                Head.of(0));
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c = store.createCampaign("c1", "random", "fashion-mnist", "anynet", "space: yaml", 1, "config");
            store.recordCandidate(c.id(), 1, 1, "random", null, null, "0", x, ok(x, 0.8), false);
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT s1_group_width, s2_block, s2_group_width, s3_group_width FROM results")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isNull();
                assertThat(rs.getString(2)).isEqualTo("x");
                assertThat(rs.getInt(3)).isEqualTo(8);
                assertThat(rs.getObject(4)).isNull();
            }
        }
    }

    @Test
    void cacheAnswersTheSameNetworkDatasetTrainerAndFidelityAcrossCampaigns(@TempDir Path dir) {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c1 = store.createCampaign("c1", "random", "fashion-mnist", "anynet", "s", 1, "c");
            CampaignRow c2 = store.createCampaign("c2", "random", "fashion-mnist", "anynet", "s", 2, "c");
            String hash = ArchitectureJson.hash(arch(16));
            assertThat(store.cached(hash, "fashion-mnist", DL4J, F)).isEmpty();
            store.recordCandidate(c1.id(), 1, 1, "random", null, null, "0", arch(16), ok(arch(16), 0.8), false);
            EvaluationRow hit = store.cached(hash, "fashion-mnist", DL4J, F).orElseThrow();
            assertThat(hit.result().valAccuracy()).isEqualTo(0.8);
            assertThat(store.cached(hash, "mnist", DL4J, F)).isEmpty();
            assertThat(store.cached(hash, "fashion-mnist", DL4J, Fidelity.proxy(3, 100, 50, 1))).isEmpty();
            // another backend (or another evaluator version) never gets this score
            assertThat(store.cached(hash, "fashion-mnist", "torch 2.11.0 cuda fp32, worker 2", F)).isEmpty();
            assertThat(store.cached(hash, "fashion-mnist", "dl4j 1.0.0-M2.1 cpu, evaluator 1", F)).isEmpty();
            assertThat(hit.trainer()).isEqualTo(DL4J);
            CandidateRow reused = store.recordCandidate(c2.id(), 1, 1, "random", null, null, "0", arch(16), hit, true);
            assertThat(reused.evaluationId()).isEqualTo(hit.id());
            assertThat(reused.cached()).isTrue();
            store.recordCandidate(c2.id(), 2, 2, "evolved", null, null, "0", arch(16), hit, true);
            assertThat(store.top(10, "c2", "val_acc")).singleElement().extracting(RankedCandidate::candidateId).isEqualTo(reused.id());
            assertThat(store.top(10, null, "val_acc")).hasSize(1);
        }
    }

    /** Rungs: the cache answers per epochs trained, and top ranks a network at its highest rung, that rung first. */
    @Test
    void rungsKeepTheirOwnCacheEntriesAndTopRanksTheHighestRungFirst(@TempDir Path dir) {
        Fidelity nine = Fidelity.proxy(9, 100, 50, 1);
        try (ResultsStore store = ResultsStore.open(dir.resolve("runs/test"))) {
            CampaignRow c = store.createCampaign("c1", "evolution", "fashion-mnist", "anynet", "space: yaml", 1, "config");
            Architecture a = arch(16), b = arch(32);
            String ha = ArchitectureJson.hash(a);
            store.recordCandidate(c.id(), 1, 1, "random", null, null, "0,1", a, rung(a, nine, 0.70, 0, 1), false);
            store.recordCandidate(c.id(), 2, 1, "random", null, null, "0,2", b, rung(b, nine, 0.80, 0, 1), false);
            long promoted = store.candidates(c.id()).get(0).id();
            store.recordCandidate(c.id(), 3, 1, "promotion", promoted, null, "0,1", a, rung(a, nine, 0.75, 1, 3), false);
            assertThat(store.cached(ha, "fashion-mnist", DL4J, nine, 1).orElseThrow().result().valAccuracy()).isEqualTo(0.70);
            assertThat(store.cached(ha, "fashion-mnist", DL4J, nine, 3).orElseThrow().result().valAccuracy()).isEqualTo(0.75);
            assertThat(store.cached(ha, "fashion-mnist", DL4J, nine, 3).orElseThrow().rung()).isEqualTo(1);
            assertThat(store.cached(ha, "fashion-mnist", DL4J, nine)).isEmpty(); // 9 epochs were never trained
            // a 1-epoch 0.80 does not outrank a 3-epoch 0.75
            assertThat(store.top(5, "c1", "val_acc")).extracting(RankedCandidate::valAcc, RankedCandidate::rungEpochs)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0.75, 3), org.assertj.core.groups.Tuple.tuple(0.80, 1));
            assertThat(store.readOnlyQuery("SELECT rung, rung_epochs FROM results WHERE seq = 3").rows())
                    .containsExactly(List.of(1, 3));
        }
    }

    static EvaluationRow rung(Architecture a, Fidelity f, double acc, int rung, int epochs) {
        return EvaluationRow.of(ArchitectureJson.hash(a), "fashion-mnist", DL4J, f, new EvaluationResult(Status.OK, "", acc, 0.5,
                java.util.Collections.nCopies(epochs, 1.0), java.util.Collections.nCopies(epochs, acc), 3.0, 900, 1.2, 5000,
                a.graph().params(), a.graph().macs(), "cpu"), "host", rung, epochs);
    }

    @Test
    void queryCommandsNeverCreateADatabaseAndRejectNonH2Files(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ResultsStore.openExisting(dir.resolve("missing")))
                .isInstanceOf(StoreException.class).hasMessageContaining("no results database");
        assertThat(dir.resolve("missing.mv.db")).doesNotExist();
        Path garbage = dir.resolve("garbage.mv.db");
        Files.writeString(garbage, "this is not a database ".repeat(400));
        assertThatThrownBy(() -> ResultsStore.openExisting(garbage))
                .isInstanceOf(StoreException.class).hasMessageContaining("garbage.mv.db");
    }

    @Test
    void duplicateCampaignNamesAreRefused(@TempDir Path dir) {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            store.createCampaign("same", "random", "d", "s", "s", 1, "c");
            assertThatThrownBy(() -> store.createCampaign("same", "random", "d", "s", "s", 1, "c"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("already exists");
        }
    }

    @Test
    void whatIsTrainingNowShowsUntilItsCandidateIsCommittedAndOnlyWhileItsEngineLives(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("runs/now"))) {
            CampaignRow c = store.createCampaign("c1", "evolution", "fashion-mnist", "anynet", "space: yaml", 1, "config");
            Architecture a = arch(16);
            Architecture b = arch(32);
            store.trainingStarted(c.id(), 1, ArchitectureJson.hash(a), a.oneLine(), a.graph().params(), a.graph().macs(), 0, 2, 0);
            store.trainingStarted(c.id(), 2, ArchitectureJson.hash(b), b.oneLine(), b.graph().params(), b.graph().macs(), 1, 6, 2);
            assertThat(store.trainingNow(List.of())).extracting(TrainingNowRow::seq).containsExactly(1, 2);
            TrainingNowRow promoted = store.trainingNow(List.of("c1")).get(1);
            assertThat(promoted.oneLine()).isEqualTo(b.oneLine());
            assertThat(promoted.rung()).isEqualTo(1);
            assertThat(promoted.fromEpoch()).isEqualTo(2);
            assertThat(promoted.epochs()).isEqualTo(6);
            assertThat(promoted.params()).isEqualTo(b.graph().params());

            // committed: no longer training
            store.recordCandidate(c.id(), 1, 1, "random", null, null, "0,1", a, ok(a, 0.81), false);
            assertThat(store.trainingNow(List.of())).extracting(TrainingNowRow::seq).containsExactly(2);

            // the engine is gone (a pid no process has): its row shows no more, and a new engine's claim clears it
            try (Statement st = store.connection().createStatement()) {
                st.executeUpdate("UPDATE campaign SET engine_pid = 2147483646 WHERE id = " + c.id());
            }
            assertThat(store.trainingNow(List.of())).isEmpty();
            store.claim(c.id());
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM training_now")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
