package org.anynas.db;

import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.anynas.db.ResultsStoreTest.arch;
import static org.anynas.db.ResultsStoreTest.rung;
import static org.assertj.core.api.Assertions.assertThat;

/** The network_score view: migration of an existing database, and what it holds on a ladder. */
class NetworkScoreViewTest {

    /** A database of schema version 5 (before the views migration) opens, gains the view, and its results view is unchanged. */
    @Test
    void aVersionFiveDatabaseGainsTheViewAndKeepsItsResults(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("5").load().migrate();
        List<String> before;
        try (var c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            before = columns(c, "RESULTS");
            assertThat(columns(c, "NETWORK_SCORE")).isEmpty();
        }
        // V6 adds the balanced accuracy after val_error, V7 each stage's group width after its downsampling; every other
        // column stays as it was
        List<String> expected = new java.util.ArrayList<>(before);
        expected.add(expected.indexOf("VAL_ERROR DOUBLE PRECISION") + 1, "VAL_BAL_ACC DOUBLE PRECISION");
        for (int s = 1; s <= ResultsStore.MAX_STAGE_COLUMNS; s++) {
            expected.add(expected.indexOf("S" + s + "_DOWNSAMPLE CHARACTER VARYING") + 1, "S" + s + "_GROUP_WIDTH INTEGER");
        }
        try (ResultsStore store = ResultsStore.openExisting(dir.resolve("old"))) {
            assertThat(columns(store.connection(), "RESULTS")).isEqualTo(expected).contains("RUNG_EPOCHS INTEGER");
            assertThat(columns(store.connection(), "NETWORK_SCORE")).startsWith(expected.toArray(String[]::new))
                    .endsWith("TOP_RUNG_EPOCHS INTEGER", "AT_TOP_RUNG BOOLEAN");
            assertThat(store.readOnlyQuery("SELECT COUNT(*) FROM network_score").rows()).containsExactly(List.of(0L));
        }
        // a second open finds nothing to do: the repeatable migration runs again only when its file changes
        try (ResultsStore store = ResultsStore.openExisting(dir.resolve("old"))) {
            assertThat(store.readOnlyQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"script\" = 'R__views.sql'").rows())
                    .containsExactly(List.of(1L));
        }
    }

    /** 1 → 3 → 9 epochs: each network at its highest rung, its first candidate there; the top rung is the campaign's. */
    @Test
    void aNetworkScoresAtItsHighestRungAndTheFrontComparesTheTopRungOnly(@TempDir Path dir) {
        Fidelity nine = Fidelity.proxy(9, 100, 50, 1);
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            CampaignRow c = store.createCampaign("ladder", "evolution", "fashion-mnist", "anynet", "s", 1, "config");
            Architecture a = arch(16), b = arch(32), d = arch(48);
            long a0 = store.recordCandidate(c.id(), 1, 0, "random", null, null, "a", a, rung(a, nine, 0.80, 0, 1), false).id();
            long b0 = store.recordCandidate(c.id(), 2, 0, "random", null, null, "b", b, rung(b, nine, 0.70, 0, 1), false).id();
            long d0 = store.recordCandidate(c.id(), 3, 0, "random", null, null, "d", d, rung(d, nine, 0.75, 0, 1), false).id();
            long b1 = store.recordCandidate(c.id(), 4, 0, "promotion", b0, null, "b", b, rung(b, nine, 0.78, 1, 3), false).id();
            long a1 = store.recordCandidate(c.id(), 5, 0, "promotion", a0, null, "a", a, rung(a, nine, 0.74, 1, 3), false).id();
            long b2 = store.recordCandidate(c.id(), 6, 0, "promotion", b1, null, "b", b, rung(b, nine, 0.83, 2, 9), false).id();
            // a revisit of b at its top rung reuses the score: the first candidate there stays b's score
            store.recordCandidate(c.id(), 7, 0, "mutation", null, null, "b", b,
                    store.evaluation(store.candidate(b2).orElseThrow().evaluationId()).orElseThrow(), true);
            List<NetworkScore> scores = store.networkScores(List.of("ladder"));
            assertThat(scores).extracting(NetworkScore::candidateId, NetworkScore::rungEpochs, NetworkScore::atTopRung)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(d0, 1, false),
                            org.assertj.core.groups.Tuple.tuple(a1, 3, false), org.assertj.core.groups.Tuple.tuple(b2, 9, true));
            assertThat(scores).allMatch(s -> s.topRungEpochs() == 9);
            assertThat(store.networkScore(b0).orElseThrow().candidateId()).isEqualTo(b2);
            assertThat(store.networkScore(a0).orElseThrow().valAcc()).isEqualTo(0.74);
            // ranked: the higher rung first, though a's first-rung 0.80 was the best first-rung score
            assertThat(store.top(5, "ladder", "val_acc")).extracting(RankedCandidate::candidateId).containsExactly(b2, a1, d0);
            assertThat(store.ranking(List.of(), "val_acc")).extracting(RankedCandidate::candidateId).containsExactly(b2, a1, d0);
        }
    }

    /** What a read-only file of an older AnyNAS looks like to the ranking: no view; one line saying what to do. */
    @Test
    void withoutTheViewTheRankingSaysWhatToDo(@TempDir Path dir) throws Exception {
        try (ResultsStore store = ResultsStore.open(dir.resolve("db"))) {
            store.connection().createStatement().execute("DROP VIEW network_score");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.top(5, null, "val_acc"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("has no network_score view")
                    .hasMessageContaining("copy it somewhere writable");
        }
    }

    /** A view's columns with their types, in order. */
    private static List<String> columns(java.sql.Connection c, String view) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                + "ORDER BY ordinal_position")) {
            ps.setString(1, view);
            try (var rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
                return out;
            }
        }
    }
}
