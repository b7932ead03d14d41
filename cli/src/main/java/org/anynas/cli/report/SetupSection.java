package org.anynas.cli.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** 7. Each campaign's configuration, the machines and backends its candidates ran on, and counts by status. */
final class SetupSection {
    private SetupSection() {
    }

    static Section of(Snapshot s, Path dir) {
        StringBuilder html = new StringBuilder();
        TreeSet<String> statuses = new TreeSet<>();
        s.points().forEach(p -> statuses.add(p.status()));
        List<List<Object>> counts = new ArrayList<>();
        for (CampaignData c : s.campaigns()) {
            Map<String, Long> by = c.points().stream().collect(Collectors.groupingBy(Point::status, TreeMap::new, Collectors.counting()));
            List<Object> row = new ArrayList<>(List.of(c.name(), c.status(), c.points().size()));
            for (String st : statuses) row.add(by.getOrDefault(st, 0L));
            row.add(c.points().stream().filter(Point::cached).count());
            counts.add(row);
        }
        List<String> head = new ArrayList<>(List.of("campaign", "campaign status", "candidates"));
        head.addAll(statuses);
        head.add("of them cached");
        html.append("<h3>Candidates by status</h3>").append(Html.table(head, counts));
        if (!statuses.isEmpty()) html.append(Html.figure(statusChart(s, statuses, dir)));
        for (CampaignData c : s.campaigns()) {
            html.append("<h3>").append(Html.esc(c.name())).append("</h3>");
            html.append(Html.table(List.of("status", "strategy", "dataset", "space", "seed", "created", "last update"),
                    List.of(List.of(c.status(), c.strategy(), c.dataset(), c.spaceName(), c.seed(), time(c.created()), time(c.updated())))));
            if (c.datasetSummary() != null) {
                html.append("<p>Dataset (images per class; how a folder was read):</p><pre>")
                        .append(Html.esc(c.datasetSummary())).append("</pre>\n");
            }
            List<List<Object>> now = s.training().stream().filter(t -> t.campaign().equals(c.name()))
                    .map(t -> List.<Object>of(t.seq(), t.rung(), (t.fromEpoch() > 0 ? t.fromEpoch() + "→" : "") + t.epochs(), t.params(),
                            time(t.started()), t.oneLine())).toList();
            if (!now.isEmpty()) {
                html.append("<p>Training now (as this page was written):</p>")
                        .append(Html.table(List.of("seq", "rung", "epochs", "params", "started", "network"), now));
            }
            html.append(Html.table(List.of("host", "device", "trainer (backend, evaluator version)", "candidates"),
                    machines(c)));
            html.append("<details><summary>Configuration</summary><pre>").append(Html.esc(c.config())).append("</pre></details>\n");
        }
        return new Section("setup", "Configuration, machine and status", html.toString());
    }

    private static String time(java.time.OffsetDateTime t) {
        return t == null ? "–" : t.withNano(0).toString().replace('T', ' ');
    }

    private static List<List<Object>> machines(CampaignData c) {
        Map<List<String>, Long> by = c.points().stream().collect(Collectors.groupingBy(
                p -> List.of(String.valueOf(p.host()), String.valueOf(p.device()), p.trainer() == null ? "(not recorded)" : p.trainer()),
                java.util.LinkedHashMap::new, Collectors.counting()));
        List<List<Object>> rows = new ArrayList<>();
        by.forEach((k, n) -> rows.add(List.of(k.get(0), k.get(1), k.get(2), n)));
        return rows;
    }

    private static Figure statusChart(Snapshot s, TreeSet<String> statuses, Path dir) {
        CategoryChart chart = new CategoryChartBuilder().width(620).height(340).title("Candidates by status")
                .xAxisTitle("status").yAxisTitle("candidates").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(s.campaigns().size() > 1);
        List<String> cats = new ArrayList<>(statuses);
        int i = 0;
        for (CampaignData c : s.campaigns()) {
            Map<String, Long> by = c.points().stream().collect(Collectors.groupingBy(Point::status, Collectors.counting()));
            chart.addSeries(c.name(), cats, cats.stream().map(st -> (Number) by.getOrDefault(st, 0L)).toList())
                    .setFillColor(ChartStyle.color(i++));
        }
        return ChartStyle.save(chart, dir, "status", "candidates by evaluation status" + (s.campaigns().size() > 1 ? ", per campaign" : ""));
    }

}
