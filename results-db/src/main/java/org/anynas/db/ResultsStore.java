package org.anynas.db;

import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Fidelity;
import org.anynas.space.OpGraph;
import org.anynas.space.Stage;
import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The results database: one H2 file per run directory, schema by Flyway migrations. Opened in H2's mixed
 * mode (AUTO_SERVER): the first process opens the file embedded and serves it, later processes (e.g.
 * {@code ./nas db top} while a search runs) connect to that process over loopback. Every write is its own
 * committed transaction, so a killed process loses at most what was in flight.
 *
 * <p>Its jobs apart: opening the file, its ownership and the retries are {@link DatabaseFile}'s; which process is a
 * campaign's engine is {@link CampaignLeases}'; the JDBC and its one-line failures are {@link Sql}'s. This class is the
 * results: campaigns, candidates and their evaluations, the network score and rankings, final trainings and what is
 * training now, all under one lock (the connection is one).
 */
public final class ResultsStore implements AutoCloseable {
    public static final int MAX_STAGE_COLUMNS = 6;

    private final Path file;
    private final String url; // for the read-only user
    private final Connection connection;
    private final FileOwnership ownership;

    private final Sql sql;
    private final CampaignLeases leases;

    private ResultsStore(DatabaseFile.Opened db) {
        this.file = db.file();
        this.url = db.url();
        this.connection = db.connection();
        this.ownership = db.ownership();
        this.sql = new Sql(connection, file);
        this.leases = new CampaignLeases(sql);
    }

    /** Opens or creates the database at {@code path} (with or without {@code .mv.db}) and migrates it. */
    public static ResultsStore open(Path path) {
        return new ResultsStore(DatabaseFile.open(path));
    }

    /**
     * Opens an existing database to read it ({@code db}, {@code report}, {@code train}): it connects to the engine
     * that drives a campaign in it, and opens the file itself only while no engine owns it or waits for it.
     * A missing file is an error, never a new empty database.
     */
    public static ResultsStore openExisting(Path path) {
        return new ResultsStore(DatabaseFile.openExisting(path));
    }

    /** Opens an existing database for an engine that resumes a campaign in it (see {@link FileOwnership}). */
    public static ResultsStore openToResume(Path path) {
        return new ResultsStore(DatabaseFile.openToResume(path));
    }

    /** {@code runs/quick} and {@code runs/quick.mv.db} name the same database file. */
    public static Path normalise(Path path) {
        return DatabaseFile.normalise(path);
    }

    public Path file() {
        return file;
    }

    /** The store's own (read-write) connection, for tests and analysis code in this process. */
    public Connection connection() {
        return connection;
    }

    /** JDBC URL and read-only user for other tools (the H2 console): SELECT only, no file functions. */
    public String jdbcUrl() {
        return url;
    }

    public static final String READER = "READER";
    public static final String READER_PASSWORD = "reader";

    /**
     * Runs user SQL as the read-only user: anything that would write (DML, DDL, file functions) is refused
     * by H2's access rights, not by parsing the statement.
     */
    public QueryResult readOnlyQuery(String sql) {
        try (Connection reader = readerConnection();
             Statement st = reader.createStatement()) {
            if (!st.execute(sql)) {
                throw new StoreException("refused: only queries are allowed here (the statement returned no rows)");
            }
            try (ResultSet rs = st.getResultSet()) {
                int n = rs.getMetaData().getColumnCount();
                List<String> columns = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) columns.add(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                    rows.add(row);
                }
                return new QueryResult(columns, rows);
            }
        } catch (SQLException e) {
            String first = String.valueOf(e.getMessage()).split("\n")[0];
            throw new StoreException("SQL error: " + first.replaceAll(";? ?SQL statement:$", "").replaceAll(" \\[[0-9-]+\\]$", ""));
        }
    }

    private Connection readerConnection() throws SQLException {
        long deadline = System.nanoTime() + DatabaseFile.OPEN_PATIENCE_NANOS;
        while (true) {
            try {
                return DriverManager.getConnection(url, READER, READER_PASSWORD);
            } catch (SQLException e) {
                if (!DatabaseFile.momentary(e) || System.nanoTime() > deadline) throw e;
                DatabaseFile.pause();
            }
        }
    }

    // ---- campaigns -------------------------------------------------------------------------------------

    /** Creates a campaign driven by this process (see {@link #claim}); a name that a live engine holds is refused. */
    public synchronized CampaignRow createCampaign(String name, String strategy, String dataset, String spaceName,
                                                   String space, long seed, String config) {
        if (campaign(name).isPresent()) throw new StoreException("campaign '" + name + "' already exists in " + file);
        OffsetDateTime now = OffsetDateTime.now();
        Engine me = Engine.self();
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO campaign(name, created, updated, status, strategy, dataset, space_name, space, seed, config, "
                        + "engine_host, engine_pid, heartbeat) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Sql.bind(ps, name, now, now, strategy, dataset, spaceName, space, seed, config, me.host(), me.pid(), me.heartbeat());
            ps.executeUpdate();
            return campaign(name).orElseThrow();
        } catch (SQLException e) {
            // another process created it between our check and our insert
            campaign(name).flatMap(c -> liveEngine(c.id())).ifPresent(other -> {
                throw CampaignLeases.busy(name, other);
            });
            throw writeFailed("cannot create campaign " + name, e);
        }
    }

    /** The engine driving the campaign now, if it is running and its engine is alive (fresh heartbeat, process there). */
    public synchronized Optional<Engine> liveEngine(long campaignId) {
        return leases.liveEngine(campaignId);
    }

    /** The status to show: a 'running' campaign whose engine is not alive has {@code died}. */
    public synchronized String displayStatus(CampaignRow c) {
        return leases.displayStatus(c);
    }

    /**
     * Makes this process the campaign's engine, unless a live engine drives it: a compare-and-set on the
     * recorded engine, so of two processes resuming at once only one gets it.
     */
    public synchronized void claim(long campaignId) {
        leases.claim(campaign(campaignId).orElseThrow(() -> new StoreException("no campaign " + campaignId + " in " + file)));
    }

    /** Refreshes this process's heartbeat (only while it is still the campaign's engine). */
    public synchronized void beat(long campaignId) {
        leases.beat(campaignId);
    }

    public synchronized Optional<CampaignRow> campaign(String name) {
        List<CampaignRow> rows = campaigns("WHERE name = ?", name);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized List<CampaignRow> campaigns() {
        return campaigns("ORDER BY created, id");
    }

    private List<CampaignRow> campaigns(String where, Object... args) {
        String sql = "SELECT id, name, created, updated, status, strategy, dataset, space_name, space, seed, config FROM campaign " + where;
        return query(sql, rs -> new CampaignRow(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getLong(10), rs.getString(11)), args);
    }

    /** The campaign's dataset as described when it started (parts, images per class, how a folder was read). */
    public synchronized void setDatasetSummary(long campaignId, String summary) {
        update("UPDATE campaign SET dataset_summary = ? WHERE id = ?", Sql.truncate(summary, 20000), campaignId);
    }

    public synchronized void setCampaignStatus(long campaignId, String status) {
        update("UPDATE campaign SET status = ?, updated = ? WHERE id = ?", status, OffsetDateTime.now(), campaignId);
    }

    // ---- training now ------------------------------------------------------------------------------------

    /** Candidate {@code seq} of the campaign has started training (its row goes when the candidate is committed). */
    public synchronized void trainingStarted(long campaignId, int seq, String archHash, String oneLine, long params, long macs,
                                             int rung, int epochs, int fromEpoch) {
        update("MERGE INTO training_now (campaign_id, seq, arch_hash, one_line, params, macs, rung, epochs, from_epoch, started) "
                        + "KEY (campaign_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", campaignId, seq, archHash,
                Sql.truncate(oneLine, 4000), params, macs, rung, epochs, fromEpoch, OffsetDateTime.now());
    }

    /**
     * The candidates in training now in the named campaigns (all when empty), oldest first: only those of campaigns
     * whose engine is alive, so a campaign killed mid-training shows none.
     */
    public synchronized List<TrainingNowRow> trainingNow(List<String> campaigns) {
        // a read-only database older than the table (opened where it cannot be upgraded) has nobody training
        if (query("SELECT 1 FROM information_schema.tables WHERE table_name = 'TRAINING_NOW'", rs -> 1).isEmpty()) return List.of();
        List<TrainingNowRow> rows = query("SELECT cp.name, t.seq, t.arch_hash, t.one_line, t.params, t.macs, t.rung, t.epochs, "
                        + "t.from_epoch, t.started, cp.id FROM training_now t JOIN campaign cp ON cp.id = t.campaign_id"
                        + (campaigns.isEmpty() ? "" : " WHERE cp.name IN (" + String.join(", ",
                        java.util.Collections.nCopies(campaigns.size(), "?")) + ")") + " ORDER BY t.started, cp.name, t.seq",
                rs -> new TrainingNowRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getObject(10, OffsetDateTime.class)),
                campaigns.toArray());
        java.util.Map<String, Boolean> live = new java.util.HashMap<>();
        return rows.stream().filter(r -> live.computeIfAbsent(r.campaign(),
                n -> campaign(n).flatMap(c -> liveEngine(c.id())).isPresent())).toList();
    }

    // ---- final trainings ----------------------------------------------------------------------------------

    /** Records (or, for a seed trained again with the same recipe, replaces) one seed of a network's final training. */
    public synchronized void recordFinalTraining(long campaignId, String archHash, String recipe, long seed, double testAcc,
                                                 double valAcc, int bestEpoch, double trainSeconds) {
        update("MERGE INTO final_training (campaign_id, arch_hash, recipe, seed, test_acc, val_acc, best_epoch, train_seconds, "
                        + "created) KEY (campaign_id, arch_hash, recipe, seed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", campaignId,
                archHash, recipe, seed, testAcc, valAcc, bestEpoch, trainSeconds,
                OffsetDateTime.now());
    }

    /** The final trainings of the named campaigns (all of them when empty), by campaign, network, recipe and seed. */
    public synchronized List<FinalTrainingRow> finalTrainings(List<String> campaigns) {
        return query("SELECT cp.name, f.arch_hash, f.recipe, f.seed, f.test_acc, f.val_acc, f.best_epoch, f.train_seconds "
                        + "FROM final_training f JOIN campaign cp ON cp.id = f.campaign_id"
                        + (campaigns.isEmpty() ? "" : " WHERE cp.name IN (" + String.join(", ",
                        java.util.Collections.nCopies(campaigns.size(), "?")) + ")")
                        + " ORDER BY cp.name, f.arch_hash, f.recipe, f.seed",
                rs -> new FinalTrainingRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Sql.nullableDouble(rs, 5), Sql.nullableDouble(rs, 6), rs.getInt(7), Sql.nullableDouble(rs, 8)), campaigns.toArray());
    }

    // ---- evaluations and candidates ----------------------------------------------------------------------

    /** A reusable earlier result for this network, dataset, trainer and fidelity, whole run (any campaign), if one exists. */
    public synchronized Optional<EvaluationRow> cached(String archHash, String dataset, String trainer, Fidelity fidelity) {
        return cached(archHash, dataset, trainer, fidelity, fidelity.epochs());
    }

    /** The same after {@code rungEpochs} epochs of a run at {@code fidelity} (a fidelity rung). */
    public synchronized Optional<EvaluationRow> cached(String archHash, String dataset, String trainer, Fidelity fidelity,
                                                       int rungEpochs) {
        return reusable("", List.of(), archHash, dataset, trainer, fidelity, rungEpochs);
    }

    /** The same among the evaluations of one campaign's candidates only (its cache off, it still never trains twice). */
    public synchronized Optional<EvaluationRow> cachedIn(long campaignId, String archHash, String dataset, String trainer,
                                                         Fidelity fidelity, int rungEpochs) {
        return reusable("e.id IN (SELECT evaluation_id FROM candidate WHERE campaign_id = ?) AND ", List.of(campaignId), archHash,
                dataset, trainer, fidelity, rungEpochs);
    }

    private Optional<EvaluationRow> reusable(String scope, List<Object> scopeArgs, String archHash, String dataset,
                                             String trainer, Fidelity fidelity, int rungEpochs) {
        List<Object> args = new ArrayList<>(scopeArgs);
        args.addAll(List.of(archHash, dataset, trainer, fidelity.key(), rungEpochs));
        List<EvaluationRow> rows = evaluations("WHERE " + scope + "e.arch_hash = ? AND e.dataset = ? AND e.trainer = ? AND e.fidelity = ? "
                + "AND e.rung_epochs = ? AND e.status IN ('ok', 'diverged', 'invalid') ORDER BY e.id LIMIT 1", args.toArray());
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized Optional<EvaluationRow> evaluation(long id) {
        List<EvaluationRow> rows = evaluations("WHERE e.id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /**
     * Stores one visited candidate in a single transaction: its architecture (once per hash), its evaluation
     * with learning curve (unless it reuses {@code cachedEvaluationId}), and the candidate row.
     */
    public synchronized CandidateRow recordCandidate(long campaignId, int seq, int generation, String origin,
                                                     Long parent1, Long parent2, String genes, Architecture arch,
                                                     EvaluationRow evaluation, boolean cached) {
        try {
            exclusive(true);
            connection.setAutoCommit(false);
            String hash = ArchitectureJson.hash(arch);
            putArchitecture(hash, arch);
            long evaluationId = cached ? evaluation.id() : insertEvaluation(evaluation);
            // a resumed campaign replaces the marker of the candidate that was in flight when it was stopped
            update("DELETE FROM candidate WHERE campaign_id = ? AND seq = ? AND evaluation_id IN "
                    + "(SELECT id FROM evaluation WHERE status = 'interrupted')", campaignId, seq);
            long id;
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO candidate(campaign_id, seq, generation, "
                    + "origin, parent1, parent2, genes, arch_hash, evaluation_id, cached, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, campaignId);
                ps.setInt(2, seq);
                ps.setInt(3, generation);
                ps.setString(4, origin);
                Sql.setLong(ps, 5, parent1);
                Sql.setLong(ps, 6, parent2);
                ps.setString(7, genes);
                ps.setString(8, hash);
                ps.setLong(9, evaluationId);
                ps.setBoolean(10, cached);
                ps.setObject(11, OffsetDateTime.now());
                ps.executeUpdate();
                id = Sql.generatedKey(ps);
            }
            update("DELETE FROM training_now WHERE campaign_id = ? AND seq = ?", campaignId, seq); // trained: no longer training
            update("UPDATE campaign SET updated = ? WHERE id = ?", OffsetDateTime.now(), campaignId);
            connection.commit(); // with WRITE_DELAY=0, H2 has written the chunk to the file when this returns
            connection.setAutoCommit(true);
            sync();
            return new CandidateRow(id, campaignId, seq, generation, origin, parent1, parent2, genes, hash, evaluationId, cached);
        } catch (SQLException | RuntimeException e) {
            sql.rollback();
            throw e instanceof StoreException se ? se : writeFailed("cannot store candidate " + seq, e);
        } finally {
            try {
                connection.setAutoCommit(true);
                exclusive(false);
            } catch (SQLException ignored) {
                // the connection is broken; the next call reports it
            }
        }
    }

    /**
     * Exclusive mode around a candidate's commit, because H2 makes a commit visible before it is in the file:
     * {@code TransactionStore.commit} first flips the transaction's committing bit (from then on every other
     * session reads its rows as committed) and only afterwards, in {@code endTransaction}, does the MVStore
     * write the new chunk (synchronously with WRITE_DELAY=0, otherwise up to 500 ms later in the background).
     * A reader served by the search process could see a candidate in that gap, and kill -9 then lost it. In
     * exclusive mode other sessions' statements wait before they take their snapshot, and new connections are
     * refused (the store retries them), so nobody sees the candidate before it is written and synced.
     */
    private void exclusive(boolean on) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET EXCLUSIVE " + (on ? 1 : 0));
        }
    }

    /** fsync: the commit is in the file; CHECKPOINT SYNC also forces it from the OS cache onto the disk. */
    private void sync() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
    }

    public synchronized Optional<CandidateRow> candidate(long id) {
        List<CandidateRow> rows = candidates("WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized Optional<CampaignRow> campaign(long id) {
        List<CampaignRow> rows = campaigns("WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public synchronized List<CandidateRow> candidates(long campaignId) {
        return candidates("WHERE campaign_id = ? ORDER BY seq", campaignId);
    }

    private List<CandidateRow> candidates(String where, Object arg) {
        return query("SELECT id, campaign_id, seq, generation, origin, parent1, parent2, genes, arch_hash, evaluation_id, cached "
                + "FROM candidate " + where, rs -> new CandidateRow(rs.getLong(1), rs.getLong(2),
                rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getObject(6, Long.class), rs.getObject(7, Long.class),
                rs.getString(8), rs.getString(9), rs.getLong(10), rs.getBoolean(11)), arg);
    }

    public synchronized void recordGeneration(long campaignId, int generation, int evaluated, int cachedCount, int failed,
                                              Double bestAcc, Double medianAcc, Long bestParams, Long bestMacs, double elapsed) {
        update("MERGE INTO generation_stats(campaign_id, generation, evaluated, cached, failed, best_acc, median_acc, "
                        + "best_params, best_macs, elapsed_s) KEY(campaign_id, generation) VALUES (?,?,?,?,?,?,?,?,?,?)",
                campaignId, generation, evaluated, cachedCount, failed, bestAcc, medianAcc, bestParams, bestMacs, elapsed);
    }

    /** Metrics where larger is better; every other numeric column of the results view is minimised. */
    public static final java.util.Set<String> MAXIMISE = java.util.Set.of("val_acc", "val_bal_acc", "train_img_per_s", "infer_img_per_s");

    /**
     * The best {@code k} networks by {@code metric} (a numeric column of the {@code results} view), optionally within
     * one campaign: each network at its score in the campaign (the {@code network_score} view: its first successful
     * candidate at the highest rung it reached). Scores rank by rung first, so a score after 1 epoch never outranks
     * one after 9; ties go to fewer parameters, then the earlier candidate. The one ranking: {@code db top}, the
     * end-of-campaign table, {@code export --best}, the quickstart's export and the report all use it.
     */
    public synchronized List<RankedCandidate> top(int k, String campaignName, String metric) {
        return rank(campaignName == null ? List.of() : List.of(campaignName), metric, Math.max(1, k));
    }

    /**
     * Every network of the named campaigns (all of them when {@code campaigns} is empty), best first, as {@link #top}
     * ranks them. A network that several campaigns scored is listed once: at its highest rung, its earliest candidate.
     */
    public synchronized List<RankedCandidate> ranking(List<String> campaigns, String metric) {
        return rank(campaigns, metric, 0);
    }

    private List<RankedCandidate> rank(List<String> campaigns, String metric, int limit) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        if (!resultColumns().contains(m)) throw new StoreException("'" + metric + "' is not a column of the results view");
        requireScoreView();
        String sql = "SELECT candidate, campaign, generation, hash, one_line, params, macs, status, val_acc, val_loss, "
                + "train_seconds, latency_ms, " + m + ", rung, rung_epochs FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY "
                + "hash ORDER BY rung_epochs DESC, candidate) AS pooled FROM network_score s" + inCampaigns(campaigns) + ") "
                // not QUALIFY: H2 2.5 drops a QUALIFY when it pushes the outer condition into the subquery
                + "WHERE pooled = 1 AND " + m + " IS NOT NULL ORDER BY " + (SCORES.contains(m) ? "rung_epochs DESC, " : "") + m
                + (MAXIMISE.contains(m) ? " DESC" : " ASC") + ", params ASC, candidate ASC" + (limit > 0 ? " LIMIT " + limit : "");
        return query(sql, rs -> new RankedCandidate(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getDouble(9), Sql.nullableDouble(rs, 10),
                Sql.nullableDouble(rs, 11), Sql.nullableDouble(rs, 12), m, rs.getDouble(13), rs.getInt(14), rs.getInt(15)),
                campaigns.toArray());
    }

    /** The score of every network in the named campaigns (all of them when empty), in candidate order. */
    public synchronized List<NetworkScore> networkScores(List<String> campaigns) {
        requireScoreView();
        return query("SELECT candidate, campaign, hash, val_acc, rung, rung_epochs, top_rung_epochs, at_top_rung "
                + "FROM network_score" + inCampaigns(campaigns) + " ORDER BY candidate", rs -> new NetworkScore(rs.getLong(1),
                rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getBoolean(8)),
                campaigns.toArray());
    }

    /**
     * The score, in its campaign, of the network that candidate {@code candidateId} trained: the candidate itself, or
     * the same network's candidate at a higher rung. Empty when the network has no successful score there.
     */
    public synchronized Optional<NetworkScore> networkScore(long candidateId) {
        requireScoreView();
        List<NetworkScore> rows = query("SELECT s.candidate, s.campaign, s.hash, s.val_acc, s.rung, s.rung_epochs, "
                + "s.top_rung_epochs, s.at_top_rung FROM network_score s JOIN results r ON r.campaign = s.campaign "
                + "AND r.hash = s.hash WHERE r.candidate = ?", rs -> new NetworkScore(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getDouble(4), rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getBoolean(8)), candidateId);
        return rows.stream().findFirst();
    }

    private static String inCampaigns(List<String> campaigns) {
        return campaigns.isEmpty() ? "" : " WHERE campaign IN (" + String.join(", ", java.util.Collections.nCopies(campaigns.size(), "?")) + ")";
    }

    /**
     * The {@code network_score} view exists in every database this version opened for writing (its migration adds
     * it); a read-only file that an older AnyNAS wrote has none, and cannot be upgraded in place.
     */
    public synchronized void requireScoreView() {
        if (query("SELECT 1 FROM information_schema.tables WHERE table_name = 'NETWORK_SCORE'", rs -> 1).isEmpty()) {
            throw new StoreException(file + " is read-only and older than this AnyNAS (it has no network_score view): copy it "
                    + "somewhere writable and pass --db with the copy (opening it there upgrades it)");
        }
    }

    /** Metrics that are scores at a rung: ranked within the highest rung first. */
    private static final java.util.Set<String> SCORES = java.util.Set.of("val_acc", "val_bal_acc", "val_loss", "val_error");

    /** The columns of the {@code results} view, lower case (user-named metrics are checked against them). */
    public synchronized List<String> resultColumns() {
        return query("SELECT LOWER(column_name) FROM information_schema.columns WHERE table_name = 'RESULTS' "
                + "ORDER BY ordinal_position", rs -> rs.getString(1));
    }

    public synchronized Optional<Architecture> architecture(String hash) {
        List<String> json = query("SELECT json FROM architecture WHERE hash = ?", rs -> rs.getString(1), hash);
        return json.isEmpty() ? Optional.empty() : Optional.of(ArchitectureJson.read(json.get(0)));
    }

    // ---- internals -------------------------------------------------------------------------------------

    private void putArchitecture(String hash, Architecture a) throws SQLException {
        if (!query("SELECT 1 FROM architecture WHERE hash = ?", rs -> 1, hash).isEmpty()) return;
        OpGraph g = a.graph();
        StringBuilder cols = new StringBuilder("hash, json, one_line, params, macs, activations, bn_statistics, stages, "
                + "stem_width, stem_kernel, stem_stride, activation, head_layers, head_dropout, total_depth");
        List<Object> values = new ArrayList<>(List.of(hash, ArchitectureJson.write(a), a.oneLine(), g.params(), g.macs(),
                g.activations(), g.bnStatistics(), a.stages().size(), a.stem().width(), a.stem().kernel(), a.stem().stride(),
                a.activation().key(), a.head().hidden().size(), a.head().dropout(),
                a.stages().stream().mapToInt(Stage::depth).sum()));
        for (int i = 0; i < Math.min(MAX_STAGE_COLUMNS, a.stages().size()); i++) {
            Stage s = a.stages().get(i);
            String p = "s" + (i + 1) + "_";
            cols.append(", ").append(String.join(", ", p + "block", p + "depth", p + "width", p + "kernel",
                    p + "bottleneck", p + "depthwise", p + "se", p + "downsample", p + "group_width"));
            values.addAll(java.util.Arrays.asList(s.block().key(), s.depth(), s.width(), s.kernel(), s.bottleneck(), s.depthwise(),
                    s.se(), s.downsample().key(), s.groupWidth() > 0 ? s.groupWidth() : null)); // null: not an X stage
        }
        String marks = String.join(",", java.util.Collections.nCopies(values.size(), "?"));
        update("INSERT INTO architecture(" + cols + ") VALUES (" + marks + ")", values.toArray());
    }

    private long insertEvaluation(EvaluationRow e) throws SQLException {
        Fidelity f = e.fidelity();
        long id;
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO evaluation(arch_hash, dataset, trainer, fidelity, epochs, "
                + "train_size, val_size, batch_size, optimizer, learning_rate, schedule, weight_decay, seed, status, message, "
                + "val_acc, val_loss, train_seconds, train_img_per_s, latency_ms, infer_img_per_s, host, device, created, rung, rung_epochs, "
                + "val_bal_acc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            EvaluationResult r = e.result();
            Sql.bind(ps, e.archHash(), e.dataset(), Sql.truncate(e.trainer(), 200), f.key(), f.epochs(), f.trainSize(), f.valSize(), f.batchSize(),
                    f.optimizer().key(), f.learningRate(), f.schedule().key(), f.weightDecay(), f.seed(), r.status().key(),
                    Sql.truncate(r.message(), 4000), r.valAccuracy(), r.valLoss(), r.trainSeconds(), r.trainImagesPerSec(),
                    r.latencyMs(), r.inferencePerSec(), e.host(), Sql.truncate(r.device(), 500), OffsetDateTime.now(), e.rung(),
                    e.rungEpochs(), r.valBalancedAccuracy());
            ps.executeUpdate();
            id = Sql.generatedKey(ps);
        }
        List<Double> loss = e.result().trainLoss(), acc = e.result().valAccuracyCurve();
        for (int i = 0; i < Math.max(loss.size(), acc.size()); i++) {
            update("INSERT INTO learning_curve(evaluation_id, epoch, train_loss, val_acc) VALUES (?,?,?,?)", id, i + 1,
                    i < loss.size() ? loss.get(i) : null, i < acc.size() ? acc.get(i) : null);
        }
        return id;
    }

    private static final String EVALUATION_COLUMNS = "e.id, e.arch_hash, e.dataset, e.epochs, e.train_size, e.val_size, "
            + "e.batch_size, e.optimizer, e.learning_rate, e.schedule, e.weight_decay, e.seed, e.status, e.message, e.val_acc, "
            + "e.val_loss, e.train_seconds, e.train_img_per_s, e.latency_ms, e.infer_img_per_s, e.host, e.device, e.trainer, "
            + "e.rung, e.rung_epochs, e.val_bal_acc, a.params, a.macs";
    /** Where {@link #EVALUATION_COLUMNS} come from: an evaluation and its network (for params and MACs). */
    private static final String EVALUATIONS = "evaluation e JOIN architecture a ON a.hash = e.arch_hash";
    private static final String CANDIDATE_COLUMNS = "c.id, c.campaign_id, c.seq, c.generation, c.origin, c.parent1, "
            + "c.parent2, c.genes, c.arch_hash, c.evaluation_id, c.cached";

    /** An evaluation from {@link #EVALUATION_COLUMNS} starting at column {@code at}, without its curves (they are rows of their own). */
    private static EvaluationRow evaluationRow(ResultSet rs, int at) throws SQLException {
        Fidelity fidelity = new Fidelity(rs.getInt(at + 3), rs.getInt(at + 4), rs.getInt(at + 5), rs.getInt(at + 6),
                Fidelity.Optimizer.valueOf(rs.getString(at + 7).toUpperCase(java.util.Locale.ROOT)), rs.getDouble(at + 8),
                Fidelity.Schedule.valueOf(rs.getString(at + 9).toUpperCase(java.util.Locale.ROOT)), rs.getDouble(at + 10),
                rs.getLong(at + 11));
        String message = rs.getString(at + 13);
        EvaluationResult result = new EvaluationResult(Status.of(rs.getString(at + 12)), message == null ? "" : message,
                Sql.nullableDouble(rs, at + 14), Sql.nullableDouble(rs, at + 15), List.of(), List.of(),
                Sql.nullableDouble(rs, at + 16), Sql.nullableDouble(rs, at + 17), Sql.nullableDouble(rs, at + 18),
                Sql.nullableDouble(rs, at + 19), rs.getLong(at + 26), rs.getLong(at + 27), rs.getString(at + 21),
                Sql.nullableDouble(rs, at + 25));
        return new EvaluationRow(rs.getLong(at), rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 22), fidelity,
                result, rs.getString(at + 20), rs.getInt(at + 23), rs.getInt(at + 24));
    }

    /** A candidate from {@link #CANDIDATE_COLUMNS} starting at column 1. */
    private static CandidateRow candidateRow(ResultSet rs) throws SQLException {
        return new CandidateRow(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                rs.getObject(6, Long.class), rs.getObject(7, Long.class), rs.getString(8), rs.getString(9), rs.getLong(10),
                rs.getBoolean(11));
    }

    /** A stored candidate with everything resume needs to replay it. */
    public record StoredCandidate(CandidateRow candidate, EvaluationRow evaluation, Architecture architecture) {
    }

    /**
     * Every candidate of a campaign with its evaluation (curves included) and architecture, in seq order: one
     * query, so resuming a long campaign does not cost a round trip per candidate.
     */
    public synchronized List<StoredCandidate> storedCandidates(long campaignId) {
        String sql = "SELECT " + CANDIDATE_COLUMNS + ", " + EVALUATION_COLUMNS + ", a.json, lc.train_loss, lc.val_acc "
                + "FROM candidate c JOIN evaluation e ON e.id = c.evaluation_id JOIN architecture a ON a.hash = c.arch_hash "
                + "LEFT JOIN learning_curve lc ON lc.evaluation_id = e.id WHERE c.campaign_id = ? ORDER BY c.seq, c.id, lc.epoch";
        int ev = 12, json = ev + 28, curve = json + 1;
        List<StoredCandidate> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                long current = -1;
                CandidateRow c = null;
                String archJson = null;
                List<Double> loss = new ArrayList<>();
                List<Double> acc = new ArrayList<>();
                EvaluationRow e = null;
                while (true) {
                    boolean more = rs.next();
                    if (!more || rs.getLong(1) != current) {
                        if (c != null) {
                            out.add(new StoredCandidate(c, e.withCurves(loss, acc), ArchitectureJson.read(archJson)));
                        }
                        if (!more) break;
                        current = rs.getLong(1);
                        c = candidateRow(rs);
                        e = evaluationRow(rs, ev);
                        archJson = rs.getString(json);
                        loss = new ArrayList<>();
                        acc = new ArrayList<>();
                    }
                    double l = Sql.nullableDouble(rs, curve), a = Sql.nullableDouble(rs, curve + 1);
                    if (Double.isFinite(l)) loss.add(l); // as evaluations() reads them: missing values are left out
                    if (Double.isFinite(a)) acc.add(a);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("query failed on " + file + ": " + Sql.firstLine(e), e);
        }
        return out;
    }

    private List<EvaluationRow> evaluations(String where, Object... args) {
        List<EvaluationRow> rows = query("SELECT " + EVALUATION_COLUMNS + " FROM " + EVALUATIONS + " " + where,
                rs -> evaluationRow(rs, 1), args);
        List<EvaluationRow> withCurves = new ArrayList<>(rows.size());
        for (EvaluationRow r : rows) {
            List<double[]> curve = query("SELECT train_loss, val_acc FROM learning_curve WHERE evaluation_id = ? ORDER BY epoch",
                    rs -> new double[]{Sql.nullableDouble(rs, 1), Sql.nullableDouble(rs, 2)}, r.id());
            withCurves.add(r.withCurves(curve.stream().map(c -> c[0]).filter(Double::isFinite).toList(),
                    curve.stream().map(c -> c[1]).filter(Double::isFinite).toList()));
        }
        return withCurves;
    }

    private <T> List<T> query(String statement, Sql.RowMapper<T> mapper, Object... args) {
        return sql.query(statement, mapper, args);
    }

    private void update(String statement, Object... args) {
        sql.update(statement, args);
    }

    private StoreException writeFailed(String what, Throwable e) {
        return sql.writeFailed(what, e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close " + file + ": " + Sql.firstLine(e), e);
        } finally {
            // after the connection: an engine keeps the file until H2 has closed it
            if (ownership != null) ownership.close();
        }
    }
}
