package org.anynas.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A real (tiny) campaign through every module: space → search → DL4J training → H2 → db queries. */
class SearchEndToEndTest {

    @Test
    void searchStoresEveryCandidateAndDbTopListsThem(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/tiny");
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, """
                name: tiny
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 4
                tournament: 2
                budget: {max_params: 20000, max_macs: 1000000}
                stop: {max_evaluations: 6}
                fidelity: {epochs: 1, train_size: 400, val_size: 200, batch_size: 50}
                db: "%s"
                """.formatted(db));
        String out = capture(() -> assertThat(Main.run("search", yaml.toString(), "--quiet")).isZero());
        assertThat(out).contains("Campaign tiny: 6 candidates").contains("val_acc").contains("./nas db top");
        assertThat(dir.resolve("runs/tiny.mv.db")).exists();
        assertThat(dir.resolve("runs/tiny.log")).exists();

        String top = capture(() -> assertThat(Main.run("db", "top", "--db", db.toString(), "--format", "csv")).isZero());
        assertThat(top.lines().findFirst().orElseThrow()).isEqualTo("rank,candidate,val_acc,rung,params,MACs,train_s,architecture");
        assertThat(top.lines().count()).isBetween(2L, 7L);

        String campaigns = capture(() -> assertThat(Main.run("db", "campaigns", "--db", db + ".mv.db")).isZero());
        assertThat(campaigns).contains("tiny").contains("finished").contains("evolution");

        String pareto = capture(() -> assertThat(Main.run("db", "pareto", "--db", db.toString(), "--objectives", "val_acc,macs")).isZero());
        assertThat(pareto).contains("val_acc").contains("macs");
        String stats = capture(() -> assertThat(Main.run("db", "stats", "--db", db.toString(), "--by", "stages", "--format", "json")).isZero());
        assertThat(stats).contains("\"stages\"").contains("\"median\"");
        String show = capture(() -> assertThat(Main.run("db", "show", "1", "--db", db.toString())).isZero());
        assertThat(show).contains("candidate 1 of campaign tiny").contains("train_loss").contains("trainable parameters");
        String sql = capture(() -> assertThat(Main.run("db", "sql", "SELECT COUNT(*) AS n FROM results", "--db", db.toString(), "--format", "csv")).isZero());
        assertThat(sql).isEqualTo("n\n6\n");
        capture(() -> assertThat(Main.run("db", "sql", "DELETE FROM candidate", "--db", db.toString())).isEqualTo(2));
        String json = capture(() -> assertThat(Main.run("db", "export", "--db", db.toString(), "--format", "json")).isZero());
        assertThat(org.anynas.space.Json.json().readTree(json)).hasSize(6);

        String again = capture(() -> assertThat(Main.run("search", yaml.toString(), "--quiet")).isEqualTo(2));
        assertThat(again).isEmpty();

        Path export = dir.resolve("best");
        String exported = capture(() -> assertThat(Main.run("export", "--db", db.toString(), "--best", "--out", export.toString())).isZero());
        assertThat(exported).contains("Exported to").contains("Cross-runtime check: max |p_onnx - p_dl4j| = ").doesNotContain("warning");
        assertThat(export.resolve("model.zip")).exists();
        assertThat(export.resolve("model.onnx")).exists();
        assertThat(export.resolve("architecture.json")).exists();
        assertThat(Files.readString(export.resolve("summary.txt"))).contains("campaign tiny").contains("val_acc");
        org.deeplearning4j.nn.graph.ComputationGraph.load(export.resolve("model.zip").toFile(), false);
        capture(() -> assertThat(Main.run("export", "--db", db.toString(), "--best", "--out", export.toString())).isEqualTo(2));
        capture(() -> assertThat(Main.run("export", "--db", db.toString(), "--candidate", "999", "--out", dir.resolve("x").toString())).isEqualTo(2));
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void nsga2CampaignEndsWithAParetoSet(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("moo.yaml");
        Files.writeString(yaml, """
                name: moo
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: nsga2
                objective: macs
                population: 4
                tournament: 2
                budget: {max_params: 20000, max_macs: 1000000}
                stop: {max_evaluations: 6}
                fidelity: {epochs: 1, train_size: 400, val_size: 200, batch_size: 50}
                db: "%s"
                """.formatted(dir.resolve("moo")));
        String out = capture(() -> assertThat(Main.run("search", yaml.toString(), "--quiet")).isZero());
        assertThat(out).contains("Pareto set (val_acc up, macs down)").contains("./nas db pareto");
    }

    private static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
