package org.anynas.bench;

import org.anynas.trainer.EvaluationResult;
import org.anynas.trainer.Status;
import org.anynas.campaign.CampaignConfig;
import org.anynas.search.Visit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SearchBenchTest {

    private static Visit visit(int seq, double acc) {
        EvaluationResult r = Double.isNaN(acc)
                ? EvaluationResult.failed(Status.DIVERGED, "nan", List.of(), 1, 10, 10, "cpu")
                : new EvaluationResult(Status.OK, "", acc, 0.5, List.of(0.9), List.of(acc), 1, 100, 1, 100, 10, 10, "cpu");
        return new Visit(seq, seq, 0, "random", List.of(), new int[0], null, "h" + seq, r, false, false, 0, 3, 3);
    }

    @Test
    void bestSoFarIgnoresFailuresAndNeverDecreases() {
        List<Visit> visits = List.of(visit(1, Double.NaN), visit(2, 0.7), visit(3, 0.6), visit(4, Double.NaN), visit(5, 0.8));
        double[] curve = SearchBench.bestSoFar(visits, 6);
        assertThat(curve[0]).isNaN();
        assertThat(java.util.Arrays.copyOfRange(curve, 1, 6)).containsExactly(0.7, 0.7, 0.7, 0.8, 0.8); // the 6th evaluation never ran: the curve holds
        assertThat(SearchBench.reaches(curve, 0.75)).isEqualTo(5);
        assertThat(SearchBench.reaches(curve, 0.9)).isEqualTo(-1);
        assertThat(SearchBench.mean(List.of(new double[]{0.5, 0.7}, new double[]{Double.NaN, 0.9}))).containsExactly(0.5, 0.8);
    }

    @Test
    void eachRunIsAValidCampaignThatDiffersOnlyInStrategyAndSeed(@TempDir Path dir) {
        SearchBench.Settings s = SearchBench.Settings.standard(3, 24, BenchData.FASHION, dir);
        CampaignConfig evo = SearchBench.config(s, "evolution", 2, "a");
        CampaignConfig rnd = SearchBench.config(s, "random", 2, "b");
        assertThat(evo.fidelity()).isEqualTo(rnd.fidelity());
        assertThat(evo.fidelity().seed()).isEqualTo(2);
        assertThat(evo.stop().maxEvaluations()).isEqualTo(24);
        assertThat(evo.budget()).isEqualTo(rnd.budget());
        assertThat(evo.strategy()).isNotEqualTo(rnd.strategy());
    }

    @Test
    void reportHasTheTableTheReachRowsAndAPlot(@TempDir Path dir) throws Exception {
        SearchBench.Settings s = SearchBench.Settings.standard(2, 4, BenchData.FASHION, dir);
        SearchBench.Result r = new SearchBench.Result(s, Map.of(
                "evolution", List.of(new double[]{0.6, 0.7, 0.8, 0.85}, new double[]{0.5, 0.75, 0.75, 0.77}),
                "random", List.of(new double[]{0.6, 0.7, 0.7, 0.7}, new double[]{0.5, 0.6, 0.78, 0.78})), "anynet", "fid");
        String md = SearchBench.report(r, "cmd", Machine.current(), "p.png").text();
        assertThat(md).contains("|4|0.8100|0.7400|").contains("|seed 1|0.7000|2|0.8500|").contains("|seed 2|0.7800|not reached in 4|");
        SearchBench.plot(r, dir.resolve("p.png"));
        BufferedImage img = ImageIO.read(dir.resolve("p.png").toFile());
        assertThat(img.getWidth()).isGreaterThan(400);
        assertThat(new Color(img.getRGB(0, 0))).isEqualTo(Color.WHITE);
    }
}
