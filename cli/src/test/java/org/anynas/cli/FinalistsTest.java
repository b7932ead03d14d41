package org.anynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.anynas.space.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nas train --finalists K}: the K best networks of a real campaign, chosen among by full training's validation. */
class FinalistsTest extends CapturedConsole {

    private static Path campaign(Path dir) throws Exception {
        Path db = dir.resolve("runs/tiny");
        Path yaml = dir.resolve("tiny.yaml");
        Files.writeString(yaml, """
                name: tiny
                dataset: synthetic
                validation_size: 300
                space: chain
                strategy: random
                budget: {max_params: 20000, max_macs: 1000000}
                stop: {max_evaluations: 5}
                fidelity: {epochs: 1, train_size: 300, val_size: 300, batch_size: 50}
                db: "%s"
                """.formatted(db));
        assertThat(Main.run("search", yaml.toString(), "--quiet")).isZero();
        return db;
    }

    @Test
    void eachFinalistTrainsOnceTheBestValidationIsChosenAndOnlyItGetsTheOtherSeeds(@TempDir Path dir) throws Exception {
        Path db = campaign(dir);
        out.reset();
        Path fin = dir.resolve("fin");
        String[] args = {"train", "--finalists", "3", "--campaign", "tiny", "--db", db.toString(), "--epochs", "1",
                "--train-size", "256", "--batch", "64", "--backend", "dl4j", "--seeds", "2", "--out", fin.toString()};
        assertThat(Main.run(args)).as(out + "" + err).isZero();
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(s).contains("Finalist 1 of 3: candidate ").contains("Finalist 3 of 3: candidate ").contains("<- chosen")
                .contains("The chosen network with the other seeds").contains("test_acc over 2 of 2 seeds");

        // the same three networks db top ranks first, each a folder with its first seed
        String top = capture(() -> Main.run("db", "top", "-k", "3", "--campaign", "tiny", "--db", db.toString(), "--format", "json"));
        List<String> folders;
        try (Stream<Path> f = Files.list(fin)) {
            folders = f.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("net-")).sorted().toList();
        }
        assertThat(folders).hasSize(3);
        JsonNode record = Json.json().readTree(fin.resolve("finalists-tiny.json").toFile());
        JsonNode finalists = record.path("finalists");
        assertThat(finalists).hasSize(3);
        List<Double> val = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode f = finalists.get(i);
            assertThat(Json.json().readTree(top).get(i).path("candidate").asLong()).isEqualTo(f.path("candidate").asLong());
            JsonNode marker = Json.json().readTree(fin.resolve(f.path("folder").asText()).resolve("seed-1/" + SeedRuns.MARKER).toFile());
            assertThat(f.path("val_acc").asDouble()).isEqualTo(marker.path("val_acc").asDouble());
            val.add(marker.path("val_acc").asDouble());
        }
        // chosen: the highest validation accuracy, the better search rank on a tie
        int chosen = 0;
        for (int i = 1; i < 3; i++) if (val.get(i) > val.get(chosen)) chosen = i;
        assertThat(record.path("chosen").asInt()).isEqualTo(chosen);
        for (int i = 0; i < 3; i++) {
            Path seed2 = fin.resolve(finalists.get(i).path("folder").asText()).resolve("seed-2/" + SeedRuns.MARKER);
            assertThat(Files.exists(seed2)).as("seed 2 only for the chosen finalist " + chosen).isEqualTo(i == chosen);
        }
        assertThat(s.lines().filter(l -> l.contains("Test accuracy")).count()).as("3 first seeds + 1").isEqualTo(4);
        assertThat(Files.readString(fin.resolve("finalists-tiny.txt"))).contains("test_acc of the chosen network over 2 of 2 seeds")
                .contains("<- chosen");
        // every finalist's training is recorded with its campaign
        String recorded = capture(() -> Main.run("db", "sql", "SELECT COUNT(*) AS n FROM final_training", "--db", db.toString(),
                "--format", "csv"));
        assertThat(recorded).isEqualTo("n\n4\n");

        // a re-run trains nothing and chooses the same network
        out.reset();
        assertThat(Main.run(args)).as(out + "" + err).isZero();
        String again = out.toString(StandardCharsets.UTF_8);
        assertThat(again).doesNotContain("Test accuracy").contains("finished in an earlier run");
        assertThat(Json.json().readTree(fin.resolve("finalists-tiny.json").toFile()).path("chosen").asInt()).isEqualTo(chosen);
    }

    @Test
    void badFinalistsRequestsAreOneErrorLineAndTrainNothing(@TempDir Path dir) throws Exception {
        Path db = campaign(dir);
        Path fin = dir.resolve("fin");
        String[][] bad = {
                {"--finalists", "1", "--db", db.toString()},
                {"--finalists", "3", "--campaign", "nope", "--db", db.toString()},
                {"--arch", dir.resolve("tiny.yaml").toString(), "--campaign", "tiny"},
        };
        String[] names = {"--finalists", "nope", "--campaign"};
        for (int i = 0; i < bad.length; i++) {
            out.reset();
            err.reset();
            String[] args = java.util.stream.Stream.concat(Stream.of("train"), Stream.concat(Stream.of(bad[i]),
                    Stream.of("--epochs", "1", "--out", fin.toString()))).toArray(String[]::new);
            assertThat(Main.run(args)).as(String.join(" ", bad[i])).isEqualTo(2);
            String e = err.toString(StandardCharsets.UTF_8).strip();
            assertThat(e.lines().count()).as(e).isEqualTo(1);
            assertThat(e).startsWith("error: ").contains(names[i]).doesNotContain("Exception");
            assertThat(fin).doesNotExist();
        }
    }

    private String capture(java.util.concurrent.Callable<Integer> run) throws Exception {
        out.reset();
        assertThat(run.call()).isZero();
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }
}
