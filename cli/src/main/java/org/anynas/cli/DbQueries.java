package org.anynas.cli;

import org.anynas.db.Pareto;
import org.anynas.db.QueryResult;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Analysis over the {@code results} and {@code network_score} views: per-value statistics (AnyNet-style) and Pareto fronts. */
final class DbQueries {
    /** Metrics where larger is better; every other numeric column is minimised. */
    static final Set<String> MAXIMISE = ResultsStore.MAXIMISE;

    private DbQueries() {
    }

    static Table table(QueryResult r) {
        Table t = new Table(r.columns().toArray(String[]::new));
        for (List<Object> row : r.rows()) t.row(row.stream().map(DbQueries::cell).toArray());
        return t;
    }

    static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "";
        if (v instanceof Float f) return String.format(Locale.ROOT, "%.4f", f);
        return v.toString();
    }

    /** The view's columns, to validate user-given names before they go into SQL. */
    static List<String> columns(ResultsStore store) {
        return store.readOnlyQuery("SELECT * FROM results WHERE 1 = 0").columns();
    }

    static String checkedColumn(ResultsStore store, String name, String option) {
        String c = name.toLowerCase(Locale.ROOT);
        if (!columns(store).contains(c)) {
            throw new UserError(option + " '" + name + "' is not a column of the results view; one of: " + String.join(", ", columns(store)));
        }
        return c;
    }

    static String scope(ResultsStore store, String campaign) {
        if (campaign == null) return "";
        if (store.campaign(campaign).isEmpty()) {
            throw new UserError("no campaign '" + campaign + "' in " + store.file() + " (./nas db campaigns lists them)");
        }
        return " AND campaign = '" + campaign.replace("'", "''") + "'";
    }

    /** The best {@code k} distinct networks by {@code metric}, in the same columns as the end-of-campaign table. */
    static Table top(ResultsStore store, int k, String campaign, String metric) {
        String m = checkedColumn(store, metric, "--metric");
        scope(store, campaign); // an unknown campaign is an error, not an empty table
        boolean extra = !List.of("val_acc", "params", "macs", "train_seconds").contains(m);
        List<String> heads = new ArrayList<>(List.of("rank", "candidate", "val_acc", "rung", "params", "MACs", "train_s"));
        if (extra) heads.add(m);
        heads.add("architecture");
        Table t = new Table(heads.toArray(String[]::new));
        int rank = 1;
        for (RankedCandidate r : store.top(k, campaign, m)) {
            List<Object> cells = new ArrayList<>(List.of(rank++, r.candidateId(), cell(r.valAcc()), r.rung() + " (" + r.rungEpochs() + " ep)",
                    org.anynas.space.GraphTable.human(r.params()), org.anynas.space.GraphTable.human(r.macs()),
                    String.format(Locale.ROOT, "%.1f", r.trainSeconds())));
            if (extra) cells.add(cell(r.score()));
            cells.add(r.oneLine());
            t.row(cells.toArray());
        }
        return t;
    }

    /** Per value of {@code by}: count, best, quartiles of the metric, and its empirical distribution function. */
    static Table stats(ResultsStore store, String by, String metric, String campaign) {
        String col = checkedColumn(store, by, "--by");
        String m = checkedColumn(store, metric, "--metric");
        QueryResult r = store.readOnlyQuery("SELECT " + col + ", " + m + " FROM results WHERE status = 'ok' AND " + m
                + " IS NOT NULL" + scope(store, campaign) + " AND candidate IN (SELECT MIN(candidate) FROM results GROUP BY campaign, hash)");
        boolean up = MAXIMISE.contains(m);
        List<Double> all = new ArrayList<>();
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        for (List<Object> row : r.rows()) {
            double v = ((Number) row.get(1)).doubleValue();
            all.add(v);
            groups.computeIfAbsent(cell(row.get(0)), k -> new ArrayList<>()).add(v);
        }
        all.sort(Comparator.naturalOrder());
        double[] thresholds = {quantile(all, 0.25), quantile(all, 0.5), quantile(all, 0.75), quantile(all, 0.9)};
        String[] edfHeads = new String[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            edfHeads[i] = String.format(Locale.ROOT, "F(%s%s%.4f)", m, up ? ">=" : "<=", up ? thresholds[i] : thresholds[thresholds.length - 1 - i]);
        }
        List<String> heads = new ArrayList<>(List.of(col, "count", "best", "q1", "median", "q3"));
        heads.addAll(List.of(edfHeads));
        Table t = new Table(heads.toArray(String[]::new));
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<Double> v = new ArrayList<>(e.getValue());
            v.sort(Comparator.naturalOrder());
            List<Object> cells = new ArrayList<>(List.of(e.getKey(), v.size(), fmt(up ? v.get(v.size() - 1) : v.get(0)),
                    fmt(quantile(v, 0.25)), fmt(quantile(v, 0.5)), fmt(quantile(v, 0.75))));
            for (int i = 0; i < thresholds.length; i++) {
                double th = up ? thresholds[i] : thresholds[thresholds.length - 1 - i];
                long n = v.stream().filter(x -> up ? x >= th : x <= th).count();
                cells.add(fmt((double) n / v.size()));
            }
            t.row(cells.toArray());
        });
        return t;
    }

    /**
     * Networks not dominated on the objectives (maximise accuracy/throughput, minimise the rest), each at its score in
     * its campaign (the network_score view); of a campaign on a fidelity ladder only those at its top rung, so that no
     * network is on the front only for having trained longer.
     */
    static Table pareto(ResultsStore store, List<String> objectives, String campaign) {
        if (objectives.size() < 2) throw new UserError("--objectives needs at least two columns, e.g. val_acc,params");
        List<String> cols = objectives.stream().map(o -> checkedColumn(store, o.trim(), "--objectives")).toList();
        store.requireScoreView();
        String select = "SELECT candidate, campaign, " + String.join(", ", cols) + ", one_line FROM network_score WHERE at_top_rung"
                + scope(store, campaign) + " ORDER BY candidate";
        QueryResult r = store.readOnlyQuery(select);
        List<Pareto.Objective<List<Object>>> goals = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            int at = 2 + i;
            goals.add(new Pareto.Objective<>(row -> row.get(at) == null ? Double.NaN : ((Number) row.get(at)).doubleValue(),
                    MAXIMISE.contains(cols.get(i))));
        }
        List<List<Object>> front = new ArrayList<>(Pareto.front(r.rows(), goals));
        int first = 2;
        front.sort(Comparator.comparingDouble(row -> -((Number) row.get(first)).doubleValue()));
        List<String> heads = new ArrayList<>(List.of("candidate", "campaign"));
        heads.addAll(cols);
        heads.add("architecture");
        Table t = new Table(heads.toArray(String[]::new));
        for (List<Object> row : front) t.row(row.stream().map(DbQueries::cell).toArray());
        return t;
    }

    static double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.size() - 1, lo + 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
