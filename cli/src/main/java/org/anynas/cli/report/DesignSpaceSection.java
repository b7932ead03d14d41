package org.anynas.cli.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.anynas.db.FinalTrainingRow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 3. Design-space analysis after Radosavovic et al. (2019, 2020): error EDFs of the whole campaign and per value
 * of the most important genes, and the genes ranked by {@link GeneImportance}.
 */
public final class DesignSpaceSection {
    private DesignSpaceSection() {
    }

    /** EDF charts drawn for this many of the top genes (the ranking lists all of them). */
    static final int GENE_FIGURES = 6;

    static Section of(Snapshot s, Path dir) {
        // every network at the first rung: on a fidelity ladder the only fidelity all of them were trained to
        List<Point> pooled = s.campaigns().stream().flatMap(c -> c.distinctFirstRung().stream()).toList();
        StringBuilder html = new StringBuilder(Html.p("The error EDF F(e) is the fraction of networks with validation error "
                + "below e (Radosavovic et al., \"On Network Design Spaces for Visual Recognition\", 2019): a curve further "
                + "up and left is a better design space. Successful distinct networks only."));
        if (pooled.isEmpty()) {
            return new Section("design-space", "Design-space analysis", html + Html.p("No successful candidate yet."));
        }
        html.append("<div class=\"row\">").append(Html.figure(campaignEdf(s, dir)));
        List<GeneImportance> ranking = GeneImportance.rank(pooled, Snapshot.geneColumns());
        if (!ranking.isEmpty()) html.append(Html.figure(importanceChart(ranking, dir)));
        html.append("</div>\n");
        if (s.campaigns().size() > 1) html.append(comparison(s));
        html.append(rungFidelity(s));
        html.append(proxyFidelity(s));
        html.append(Html.p("Gene importance: for each gene, the networks are grouped by the gene's value; values with at least "
                + GeneImportance.minPerValue(pooled.size()) + " networks (" + GeneImportance.MIN_PER_VALUE
                + " or 2 % of them) count; the importance is the spread between the largest and the smallest median "
                + "validation error across those values. Stage genes (s1_…, s2_…) count only networks that have that stage. "
                + "It is a marginal measure, not fANOVA: genes that vary together share credit."));
        if (ranking.isEmpty()) {
            html.append(Html.p("No gene has two values with enough networks yet; the ranking needs more candidates."));
        } else {
            html.append("<h3>Error EDF per value of the most important genes</h3><div class=\"row\">");
            for (GeneImportance g : ranking.subList(0, Math.min(GENE_FIGURES, ranking.size()))) {
                html.append(Html.figure(geneEdf(pooled, g.gene(), dir)));
            }
            html.append("</div>\n");
            List<List<Object>> rows = new ArrayList<>();
            int rank = 0;
            for (GeneImportance g : ranking) {
                rows.add(List.of(++rank, g.gene(), String.format(Locale.ROOT, "%.4f", g.spread()), g.bestValue(), g.worstValue(),
                        g.values(), g.networks()));
            }
            html.append("<details><summary>All ").append(ranking.size()).append(" ranked genes</summary>");
            html.append(Html.table(List.of("rank", "gene", "spread of median error", "best value", "worst value",
                    "values counted", "networks"), rows)).append("</details>\n");
        }
        return new Section("design-space", "Design-space analysis", html.toString());
    }

    /** The campaigns' EDFs read as the paper reads them: shared thresholds and the bootstrap of the best. */
    private static String comparison(Snapshot s) {
        EdfSummary.Comparison c = comparison(s.campaigns());
        List<List<Object>> rows = c.spaces().stream().map(EdfSummary::cells).toList();
        return Html.p("Compared on common terms: F(e) at the 10th and 25th percentile of all errors pooled, and the best of "
                + c.k() + " networks drawn with replacement from each campaign (" + EdfSummary.ROUNDS + " bootstrap rounds; "
                + c.k() + " is a quarter of the smallest sample). Distinct networks at the first rung.")
                + Html.table(EdfSummary.header(c), rows);
    }

    /**
     * How far to trust a ladder's lower rungs: for the networks that reached the top rung, the rank correlation between
     * their score at each lower rung and at the top. Empty for campaigns without a ladder.
     */
    private static String rungFidelity(Snapshot s) {
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignData c : s.campaigns()) {
            if (!c.ladder()) continue;
            Map<String, Double> top = c.scoresAtRung(c.topRung());
            for (int rung = 0; rung < c.topRung(); rung++) {
                Map<String, Double> low = c.scoresAtRung(rung);
                List<String> both = top.keySet().stream().filter(low::containsKey).toList();
                if (both.size() < 3) continue;
                RankCorrelation r = RankCorrelation.of(both.stream().mapToDouble(low::get).toArray(),
                        both.stream().mapToDouble(top::get).toArray());
                rows.add(List.of(c.name(), rung, c.topRung(), r.n(), String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", r.kendall(),
                        r.kendallLow(), r.kendallHigh()), String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", r.spearman(),
                        r.spearmanLow(), r.spearmanHigh())));
            }
        }
        if (rows.isEmpty()) return "";
        return "<h3>How far to trust the lower rungs</h3>" + Html.p("For the networks trained to the top rung of a fidelity "
                + "ladder: the rank correlation between their validation accuracy at a lower rung and at the top rung "
                + "(Kendall's τ-b and Spearman's ρ, 95 % bootstrap intervals). Near 1, the lower rung already ranks them as "
                + "the top does; the ladder only promotes networks that did well below, so these are its better networks.")
                + Html.table(List.of("campaign", "rung", "against rung", "networks", "Kendall τ", "Spearman ρ"), rows);
    }

    /**
     * How far to trust the proxy: for the networks of a campaign that were also trained fully ({@code ./nas train
     * --candidate}, {@code ./nas bench final}), the rank correlation between their proxy score at each rung and their
     * test accuracy (mean over seeds). Per campaign, the final recipe that trained the most networks; empty without
     * final trainings of at least three networks.
     */
    public static String proxyFidelity(Snapshot s) {
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignData c : s.campaigns()) {
            Map<String, Map<String, List<Double>>> byRecipe = new java.util.TreeMap<>(); // recipe → network → test accs
            for (FinalTrainingRow f : s.finals()) {
                if (!f.campaign().equals(c.name()) || !Double.isFinite(f.testAcc())) continue;
                byRecipe.computeIfAbsent(f.recipe(), k -> new java.util.LinkedHashMap<>())
                        .computeIfAbsent(f.archHash(), k -> new ArrayList<>()).add(f.testAcc());
            }
            Map<String, List<Double>> tests = byRecipe.values().stream().max(java.util.Comparator.comparingInt(Map::size)).orElse(Map.of());
            if (tests.size() < 3) continue;
            String epochs = byRecipe.entrySet().stream().filter(e -> e.getValue() == tests).findFirst()
                    .map(e -> finalEpochs(e.getKey())).orElse("?");
            for (int rung = 0; rung <= c.topRung(); rung++) {
                Map<String, Double> proxy = c.scoresAtRung(rung);
                List<String> both = tests.keySet().stream().filter(proxy::containsKey).toList();
                if (both.size() < 3) continue;
                double[] test = both.stream().mapToDouble(h -> tests.get(h).stream().mapToDouble(Double::doubleValue).average()
                        .orElse(Double.NaN)).toArray();
                RankCorrelation r = RankCorrelation.of(both.stream().mapToDouble(proxy::get).toArray(), test);
                int seedsMin = both.stream().mapToInt(h -> tests.get(h).size()).min().orElse(0);
                int seedsMax = both.stream().mapToInt(h -> tests.get(h).size()).max().orElse(0);
                rows.add(List.of(c.name(), rung, epochs, r.n(), seedsMin == seedsMax ? String.valueOf(seedsMin) : seedsMin + "–" + seedsMax,
                        String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", r.kendall(), r.kendallLow(), r.kendallHigh()),
                        String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", r.spearman(), r.spearmanLow(), r.spearmanHigh())));
            }
        }
        if (rows.isEmpty()) return "";
        return "<h3>How far to trust the proxy</h3>" + Html.p("For the networks that were also trained fully (./nas train "
                + "--candidate, ./nas bench final): the rank correlation between their validation accuracy at a rung of the "
                + "search and their test accuracy after the final training (the mean over its seeds; per campaign the final "
                + "recipe that trained the most networks). Kendall's τ-b and Spearman's ρ with 95 % bootstrap intervals. Near 1, "
                + "the proxy ranks networks as full training does; a sample of networks spread over the campaign's scores says "
                + "more than its best few.")
                + Html.table(List.of("campaign", "rung", "final epochs", "networks", "seeds each", "Kendall τ", "Spearman ρ"), rows);
    }

    /** The epochs of a final training's recipe (its identity JSON). */
    private static String finalEpochs(String recipe) {
        try {
            return org.anynas.space.Json.json().readTree(recipe).path("epochs").asText("?");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "?";
        }
    }

    /** The EDF summary of each campaign's distinct first-rung networks (the figure's curves). */
    public static EdfSummary.Comparison comparison(List<CampaignData> campaigns) {
        return EdfSummary.compare(campaigns.stream().map(CampaignData::name).toList(),
                campaigns.stream().map(c -> c.distinctFirstRung().stream().map(Point::valError).toList()).toList());
    }

    private static XYChart edfChart(String title, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("validation error e").yAxisTitle("fraction of networks with error < e").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        return chart;
    }

    private static void addEdf(XYChart chart, String name, List<Double> errors, int colour) {
        List<Double> e = new ArrayList<>(errors);
        e.sort(null);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            xs.add(e.get(i));
            ys.add((i + 1) / (double) e.size());
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE).setLineColor(ChartStyle.color(colour)).setLineWidth(2f);
    }

    private static Figure campaignEdf(Snapshot s, Path dir) {
        XYChart chart = edfChart("Error EDF" + (s.campaigns().size() > 1 ? ", campaigns compared" : ""), 620, 400);
        int i = 0;
        for (CampaignData c : s.campaigns()) {
            List<Double> errors = c.distinctFirstRung().stream().map(Point::valError).toList();
            if (!errors.isEmpty()) addEdf(chart, c.name() + " (n=" + errors.size() + ")", errors, i);
            i++;
        }
        return ChartStyle.save(chart, dir, "edf-campaigns", "error EDF of " + (s.campaigns().size() > 1 ? "each campaign" : "the campaign"));
    }

    private static Figure geneEdf(List<Point> pooled, String gene, Path dir) {
        XYChart chart = edfChart("Error EDF by " + gene, 620, 360);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int min = GeneImportance.minPerValue(pooled.size());
        int i = 0;
        for (Map.Entry<String, List<Double>> e : GeneImportance.byValue(pooled, gene).entrySet()) {
            if (e.getValue().size() < min) continue;
            addEdf(chart, gene + "=" + e.getKey() + " (n=" + e.getValue().size() + ")", e.getValue(), i++);
        }
        return ChartStyle.save(chart, dir, "edf-" + gene, "error EDF per value of " + gene
                + " (values with fewer than " + min + " networks left out)");
    }

    private static Figure importanceChart(List<GeneImportance> ranking, Path dir) {
        List<GeneImportance> top = ranking.subList(0, Math.min(15, ranking.size()));
        CategoryChart chart = new CategoryChartBuilder().width(620).height(400).title("Gene importance (top " + top.size() + ")")
                .xAxisTitle("gene").yAxisTitle("spread of median validation error").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setYAxisMin(0.0);
        CategorySeries bars = chart.addSeries("spread", top.stream().map(GeneImportance::gene).toList(),
                top.stream().map(GeneImportance::spread).toList());
        bars.setFillColor(ChartStyle.color(0));
        return ChartStyle.save(chart, dir, "gene-importance", "genes ranked by the spread of median validation error across their values");
    }
}
