package org.anynas.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.trainer.Augmentation;
import org.anynas.trainer.TrainingRecipe;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.Head;
import org.anynas.space.Json;
import org.anynas.space.OpGraphJson;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The op graphs, fidelities and training recipes the worker's Python tests send (torch/src/test/python/graphs; the Python side cannot lower an
 * architecture) are what the engine sends for those architectures: the bench's reference networks with the
 * tests' four classes. After a change to the space or to OpGraphJson, rewrite them with
 * {@code mvn -pl torch -am test -Dtest=PythonTestGraphsTest -Dsurefire.failIfNoSpecifiedTests=false -Danynas.writeTestGraphs=true}.
 */
class PythonTestGraphsTest {
    static final Path DIR = Path.of("src/test/python/graphs");

    static Map<String, Architecture> architectures() throws Exception {
        Map<String, Architecture> m = new LinkedHashMap<>();
        for (String name : new String[]{"plain", "residual"}) {
            Architecture a = ArchitectureJson.read(Path.of("../bench/architectures/" + name + ".json"));
            m.put(name, Architecture.of(a.input(), 4, a.activation(), a.stem(), a.stages(), a.head()));
        }
        Architecture r = m.get("residual");
        // a hidden layer with dropout: its noise must continue across a checkpoint (test_worker.py)
        m.put("residual-dropout", Architecture.of(r.input(), 4, r.activation(), r.stem(), r.stages(), Head.of(0.3, 16)));
        return m;
    }

    @Test
    void theWorkerTestsGraphsAreTheEnginesGraphsOfTheirArchitectures() throws Exception {
        boolean write = Boolean.getBoolean("anynas.writeTestGraphs");
        for (var e : architectures().entrySet()) {
            Path file = DIR.resolve(e.getKey() + ".json");
            String json = Json.json().writeValueAsString(OpGraphJson.tree(e.getValue().graph()));
            if (write) Files.writeString(file, json + "\n");
            JsonNode expected = Json.json().readTree(json); // parsed, as the file is: numbers of the same node types
            assertThat(Json.json().readTree(Files.readString(file))).as(file + " (see the class comment to rewrite it)")
                    .isEqualTo(expected);
        }
    }

    /** The tests' fidelity (test_worker.py's "e2") with other epoch counts, and the recipe the engine sends with each. */
    static Map<String, Fidelity> fidelities() {
        Map<String, Fidelity> m = new LinkedHashMap<>();
        for (int epochs : new int[]{1, 2, 3, 200}) {
            m.put("e" + epochs, new Fidelity(epochs, 512, 256, 64, Fidelity.Optimizer.ADAM, 0.004, Fidelity.Schedule.COSINE, 5e-5, 3));
        }
        m.put("sgd", new Fidelity(2, 512, 256, 64, Fidelity.Optimizer.SGD, 0.05, Fidelity.Schedule.CONSTANT, 0, 3));
        return m;
    }

    @Test
    void theWorkerTestsRecipesAreTheEnginesRecipesOfTheirFidelities() throws Exception {
        ObjectNode all = Json.json().createObjectNode();
        for (var e : fidelities().entrySet()) {
            ObjectNode job = all.putObject(e.getKey());
            job.set("fidelity", Json.json().readTree(e.getValue().key()));
            job.set("recipe", TrainingRecipe.proxy(e.getValue()).toJson());
        }
        Fidelity f = new Fidelity(3, 1024, 256, 64, Fidelity.Optimizer.ADAM, 0.004, Fidelity.Schedule.COSINE, 5e-5, 3);
        ObjectNode fin = all.putObject("final");
        fin.set("fidelity", Json.json().readTree(f.key()));
        fin.set("recipe", TrainingRecipe.finalTraining(f, TrainingRecipe.Final.of(new Augmentation(4, true))).toJson());
        Path file = DIR.resolve("jobs.json");
        if (Boolean.getBoolean("anynas.writeTestGraphs")) Files.writeString(file, Json.json().writeValueAsString(all) + "\n");
        assertThat(Json.json().readTree(Files.readString(file))).as(file + " (see the class comment to rewrite it)")
                .isEqualTo(Json.json().readTree(Json.json().writeValueAsString(all)));
    }
}
