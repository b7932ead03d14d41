// How well proxy scores at several fidelities rank networks the way full training does (bench/proxy-fidelity.sh).
// The truth is the rank-sample table of a `bench final` record (test accuracy after full training); each proxy's
// scores come from `./nas db top --format json` of one campaign over the same networks. The correlations are the
// product's own (RankCorrelation, as the report and bench final compute them).
//
// java -cp 'cli/target/anynas-cli.jar:cli/target/lib/*' bench/ProxyFidelity.java RECORD.md LABEL=SCORES.json[+MORE.json] ...
//   [A~B ...]
// LABEL=a.json+b.json scores each network by the mean of its scores in both (a proxy trained over two seeds); A~B adds
// how well two of the labelled proxies agree with each other over every network both scored (not only the record's).

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.anynas.cli.report.RankCorrelation;
import org.anynas.space.Json;

public class ProxyFidelity {

    /** A network of the record's rank sample: its proxy scores there (1 and 3 epochs) and its test accuracy. */
    record Truth(String net, double val1, double val3, double test) {}

    public static void main(String[] args) throws Exception {
        List<Truth> truth = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.startsWith("|stem")) continue;
            String[] c = line.substring(1).split("(?<!\\\\)\\|");
            truth.add(new Truth(c[0].trim().replace("\\|", "|"), num(c[2]), num(c[3]), num(c[4])));
        }
        if (truth.size() < 3) throw new IllegalArgumentException(args[0] + " has no rank-sample table");
        Map<String, Map<String, Double>> proxies = new LinkedHashMap<>();
        proxies.put("recorded val_acc @ 1 ep (rung 0)", by(truth, Truth::val1));
        proxies.put("recorded val_acc @ 3 ep (the default)", by(truth, Truth::val3));
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String[]> agreements = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].contains("=")) {
                agreements.add(args[i].split("~", 2));
                continue;
            }
            String label = args[i].substring(0, args[i].indexOf('='));
            String[] files = args[i].substring(label.length() + 1).split("\\+");
            Map<String, Double> scores = new LinkedHashMap<>();
            double s = 0;
            for (String file : files) {
                for (JsonNode row : Json.json().readTree(Path.of(file).toFile())) {
                    scores.merge(row.path("architecture").asText(), num(row.path("val_acc").asText()) / files.length, Double::sum);
                    s += num(row.path("train_s").asText());
                }
            }
            proxies.put(label, scores);
            seconds.put(label, s);
        }
        List<Truth> best = truth.stream().sorted(Comparator.comparingDouble(Truth::test).reversed()).limit(truth.size() / 2).toList();
        System.out.println("|proxy score|n|Kendall τ|Spearman ρ|τ among the " + best.size() + " best by test acc|proxy's pick: test acc (rank of "
                + truth.size() + ")|proxy's top 3: best test acc|training s (all networks)|");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var p : proxies.entrySet()) {
            long scored = truth.stream().filter(t -> p.getValue().containsKey(t.net())).count();
            if (scored < truth.size()) {
                throw new IllegalArgumentException(p.getKey() + " scored " + scored + " of the " + truth.size() + " networks");
            }
            RankCorrelation all = RankCorrelation.of(scores(truth, p.getValue()), tests(truth));
            RankCorrelation top = RankCorrelation.of(scores(best, p.getValue()), tests(best));
            List<Truth> picks = truth.stream().sorted(Comparator.comparingDouble((Truth t) -> p.getValue().get(t.net())).reversed()).toList();
            Truth pick = picks.get(0);
            int rank = 1 + (int) truth.stream().filter(t -> t.test() > pick.test()).count();
            double top3 = picks.stream().limit(3).mapToDouble(Truth::test).max().orElseThrow();
            Double s = seconds.get(p.getKey());
            System.out.printf(Locale.ROOT, "|%s|%d|%.2f [%.2f, %.2f]|%.2f [%.2f, %.2f]|%.2f|%.4f (%d)|%.4f|%s|%n", p.getKey(), all.n(),
                    all.kendall(), all.kendallLow(), all.kendallHigh(), all.spearman(), all.spearmanLow(), all.spearmanHigh(),
                    top.kendall(), pick.test(), rank, top3, s == null ? "–" : String.format(Locale.ROOT, "%.0f", s));
        }
        if (agreements.isEmpty()) return;
        System.out.println();
        System.out.println("|proxy|against proxy|networks|Kendall τ|Spearman ρ|rms of the score differences|");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (String[] ab : agreements) agreement(ab[0], ab[1], proxies);
    }

    /** How well proxy b ranks the networks both scored the way proxy a does. */
    private static void agreement(String a, String b, Map<String, Map<String, Double>> proxies) {
        Map<String, Double> x = proxies.get(a), y = proxies.get(b);
        if (x == null || y == null) throw new IllegalArgumentException("no proxy labelled " + (x == null ? a : b));
        List<String> both = x.keySet().stream().filter(y::containsKey).toList();
        RankCorrelation r = RankCorrelation.of(both.stream().mapToDouble(x::get).toArray(), both.stream().mapToDouble(y::get).toArray());
        double sd = Math.sqrt(both.stream().mapToDouble(k -> Math.pow(x.get(k) - y.get(k), 2)).sum() / Math.max(1, both.size() - 1));
        System.out.printf(Locale.ROOT, "|%s|%s|%d|%.2f [%.2f, %.2f]|%.2f [%.2f, %.2f]|%.4f|%n", a, b, r.n(), r.kendall(), r.kendallLow(),
                r.kendallHigh(), r.spearman(), r.spearmanLow(), r.spearmanHigh(), sd);
    }

    private static Map<String, Double> by(List<Truth> truth, java.util.function.ToDoubleFunction<Truth> f) {
        Map<String, Double> m = new LinkedHashMap<>();
        truth.forEach(t -> m.put(t.net(), f.applyAsDouble(t)));
        return m;
    }

    private static double[] scores(List<Truth> ts, Map<String, Double> proxy) {
        return ts.stream().mapToDouble(t -> proxy.get(t.net())).toArray();
    }

    private static double[] tests(List<Truth> ts) {
        return ts.stream().mapToDouble(Truth::test).toArray();
    }

    private static double num(String s) {
        return Double.parseDouble(s.trim().replace(",", ""));
    }
}
