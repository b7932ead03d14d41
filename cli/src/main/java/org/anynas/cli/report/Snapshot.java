package org.anynas.cli.report;

import org.anynas.db.FinalTrainingRow;
import org.anynas.db.NetworkScore;
import org.anynas.db.TrainingNowRow;
import org.anynas.db.ResultsStore;
import org.anynas.space.UserInputException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

/**
 * The campaigns a report shows, read in one SNAPSHOT transaction: a search that records candidates meanwhile
 * changes nothing the report sees, so counts, charts and tables agree. Each network's score and the ranking come
 * from the database's network_score view, as {@code db top} and {@code db pareto} read them; a read-only file that
 * an older AnyNAS wrote has no such view and is refused with what to do (a read-only file is opened without
 * migrating it).
 *
 * @param ranking the candidate ids of the campaigns' networks, best first ({@link ResultsStore#ranking})
 */
public record Snapshot(Path db, List<CampaignData> campaigns, List<Long> ranking, List<FinalTrainingRow> finals,
                       List<TrainingNowRow> training) {

    public Snapshot {
        campaigns = List.copyOf(campaigns);
        ranking = List.copyOf(ranking);
        finals = List.copyOf(finals);
        training = List.copyOf(training);
    }

    /** Gene columns of the architecture table, in the order the page lists them. */
    public static final List<String> GLOBAL_GENES = List.of("stages", "stem_width", "stem_kernel", "stem_stride",
            "activation", "head_layers", "head_dropout", "total_depth");
    public static final List<String> STAGE_GENES = List.of("block", "depth", "width", "kernel", "bottleneck",
            "depthwise", "se", "downsample", "group_width");

    public static List<String> geneColumns() {
        List<String> cols = new ArrayList<>(GLOBAL_GENES);
        for (int s = 1; s <= ResultsStore.MAX_STAGE_COLUMNS; s++) {
            for (String g : STAGE_GENES) cols.add("s" + s + "_" + g);
        }
        return cols;
    }

    /** Reads the named campaigns (all of them when {@code names} is empty), each with its candidates. */
    public static Snapshot read(ResultsStore store, List<String> names) {
        Connection c = store.connection();
        try {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
                c.setAutoCommit(false);
                List<CampaignData> out = readAll(store, c, names);
                // on the same connection, so inside the snapshot
                List<Long> ranking = store.ranking(names, "val_acc").stream().map(org.anynas.db.RankedCandidate::candidateId).toList();
                // final trainings (./nas train --candidate): a database older than them has none
                List<FinalTrainingRow> finals = hasTable(c, "FINAL_TRAINING") ? store.finalTrainings(names) : List.of();
                List<TrainingNowRow> training = store.trainingNow(names); // what live engines train as the page is read
                c.commit();
                return new Snapshot(store.file(), out, ranking, finals, training);
            } finally {
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new org.anynas.db.StoreException("cannot read " + store.file() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM information_schema.tables WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<CampaignData> readAll(ResultsStore store, Connection c, List<String> names) throws SQLException {
        boolean hasTrainer = hasColumn(c, "EVALUATION", "TRAINER");
        boolean hasRungs = hasColumn(c, "EVALUATION", "RUNG");
        boolean hasEngine = hasColumn(c, "CAMPAIGN", "ENGINE_PID");
        boolean hasSummary = hasColumn(c, "CAMPAIGN", "DATASET_SUMMARY");
        List<CampaignData> out = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, status, strategy, dataset, space_name, seed, created, updated, config, "
                     + (hasSummary ? "dataset_summary" : "NULL") + " FROM campaign ORDER BY created, id")) {
            while (rs.next()) {
                rows.add(new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                        rs.getString(10), rs.getString(11)});
            }
        }
        List<String> known = rows.stream().map(r -> (String) r[1]).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new UserInputException("no campaign '" + n + "' in " + store.file() + "; it has: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        if (known.isEmpty()) throw new UserInputException("no campaign in " + store.file() + " yet; run ./nas search first");
        Map<Long, List<Double>[]> curves = curves(c);
        Map<String, List<NetworkScore>> scores = new HashMap<>();
        for (NetworkScore n : store.networkScores(names)) scores.computeIfAbsent(n.campaign(), k -> new ArrayList<>()).add(n);
        for (Object[] r : rows) {
            String name = (String) r[1];
            if (!names.isEmpty() && !names.contains(name)) continue;
            String status = (String) r[2];
            if (hasEngine && "running".equals(status)) {
                status = store.displayStatus(store.campaign((long) r[0]).orElseThrow());
            }
            out.add(new CampaignData(name, status, (String) r[3], (String) r[4], (String) r[5], (long) r[6],
                    (OffsetDateTime) r[7], (OffsetDateTime) r[8], (String) r[9], points(c, (long) r[0], name, hasTrainer, hasRungs, curves),
                    scores.getOrDefault(name, List.of()), (String) r[10]));
        }
        if (!names.isEmpty()) out.sort(java.util.Comparator.comparingInt(d -> names.indexOf(d.name())));
        return out;
    }

    private static List<Point> points(Connection c, long campaignId, String campaign, boolean hasTrainer, boolean hasRungs,
                                      Map<Long, List<Double>[]> curves) throws SQLException {
        List<String> genes = geneColumns();
        String sql = "SELECT c.id, c.seq, c.generation, c.origin, c.parent1, c.parent2, c.cached, c.created, e.status, e.val_acc, "
                + "e.val_loss, a.params, a.macs, e.latency_ms, e.train_seconds, e.train_img_per_s, e.host, e.device, "
                + (hasTrainer ? "e.trainer" : "NULL") + ", a.hash, a.one_line, a.json, e.id, "
                + (hasRungs ? "e.rung, e.rung_epochs" : "0, e.epochs") + ", "
                + String.join(", ", genes.stream().map(g -> "a." + g).toList())
                + " FROM candidate c JOIN evaluation e ON e.id = c.evaluation_id JOIN architecture a ON a.hash = c.arch_hash"
                + " WHERE c.campaign_id = ? ORDER BY c.seq, c.id";
        List<Point> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> g = new LinkedHashMap<>();
                    for (int i = 0; i < genes.size(); i++) g.put(genes.get(i), rs.getObject(26 + i));
                    List<Double>[] curve = curves.getOrDefault(rs.getLong(23), emptyCurve());
                    out.add(new Point(campaign, rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                            rs.getObject(5, Long.class), rs.getObject(6, Long.class), rs.getBoolean(7),
                            rs.getObject(8, OffsetDateTime.class), rs.getString(9), real(rs, 10), real(rs, 11), rs.getLong(12),
                            rs.getLong(13), real(rs, 14), real(rs, 15), real(rs, 16), rs.getString(17), rs.getString(18),
                            rs.getString(19), rs.getString(20), rs.getString(21), rs.getString(22), g, curve[0], curve[1],
                            rs.getInt(24), rs.getInt(25)));
                }
            }
        }
        return out;
    }

    /** Every learning curve in one query: evaluation id → [train loss, val acc] by epoch (missing values left out). */
    private static Map<Long, List<Double>[]> curves(Connection c) throws SQLException {
        Map<Long, List<Double>[]> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT evaluation_id, train_loss, val_acc FROM learning_curve ORDER BY evaluation_id, epoch")) {
            while (rs.next()) {
                List<Double>[] curve = out.computeIfAbsent(rs.getLong(1), k -> emptyCurve());
                double loss = real(rs, 2);
                double acc = real(rs, 3);
                if (Double.isFinite(loss)) curve[0].add(loss);
                if (Double.isFinite(acc)) curve[1].add(acc);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Double>[] emptyCurve() {
        return new List[]{new ArrayList<Double>(), new ArrayList<Double>()};
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static double real(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** All points of all campaigns. */
    public List<Point> points() {
        return campaigns.stream().flatMap(d -> d.points().stream()).toList();
    }
}
