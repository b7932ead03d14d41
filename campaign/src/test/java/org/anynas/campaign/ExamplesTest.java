package org.anynas.campaign;

import org.anynas.search.Objective;
import org.anynas.search.Strategy;
import com.fasterxml.jackson.databind.JsonNode;
import org.anynas.space.DesignSpace;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.Json;
import org.anynas.space.Sampler;
import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file in {@code examples/} loads as the CLI loads it: each campaign with {@link CampaignConfig#load}, each
 * design space with {@link DesignSpace#load}. A campaign's space (built-in or a file, relative to the repository's
 * root, where {@code ./nas} runs) must load too, and must hold a network within both budgets.
 */
class ExamplesTest {
    /** The repository's root: tests run in the module's folder. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path EXAMPLES = ROOT.resolve("examples");

    static Stream<Path> campaigns() throws IOException {
        return yaml(EXAMPLES);
    }

    static Stream<Path> spaces() throws IOException {
        return yaml(EXAMPLES.resolve("spaces"));
    }

    private static Stream<Path> yaml(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theExamplesAreThere() throws IOException {
        assertThat(campaigns().map(f -> f.getFileName().toString())).contains("fashion-evolution.yaml",
                "fashion-ladder.yaml", "fashion-torch.yaml", "fashion-spark.yaml", "fashion-custom-space.yaml",
                "fashion-nsga2-latency.yaml", "own-images.yaml");
        assertThat(spaces()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("campaigns")
    void campaignLoads(Path file) {
        CampaignConfig config = CampaignConfig.load(file);
        String name = file.getFileName().toString().replace(".yaml", "");
        assertThat(config.name()).as("a campaign is named like its file").isEqualTo(name);
        String space = config.space();
        boolean builtIn = DesignSpace.BUILT_IN.contains(space);
        if (!builtIn) assertThat(ROOT.resolve(space)).as("space file of " + file).isRegularFile();
        DesignSpace s = DesignSpace.load(builtIn ? space : ROOT.resolve(space).toString());
        // a network of the space within the campaign's and the space's budgets (Fashion-MNIST's and MNIST's input)
        GenotypeLayout layout = s.layout(Shape.of(1, 28, 28), 10);
        int[] genes = Sampler.of(layout, config.settings().budget()).sample(new Random(1), 100_000);
        assertThat(config.settings().budget().and(s.budget()).violation(layout.decode(genes).graph())).isNull();
    }

    @ParameterizedTest
    @MethodSource("spaces")
    void spaceLoads(Path file) {
        DesignSpace s = DesignSpace.load(file.toString());
        assertThat(s.name()).isEqualTo(file.getFileName().toString().replace(".yaml", ""));
    }

    @Test
    void whatTheExamplesShow() {
        CampaignConfig ladder = CampaignConfig.load(EXAMPLES.resolve("fashion-ladder.yaml"));
        assertThat(ladder.ladder().rungs()).containsExactly(1, 3, 9);
        assertThat(CampaignConfig.load(EXAMPLES.resolve("fashion-torch.yaml")).backendChoice()).isEqualTo(Backend.TORCH);
        CampaignConfig spark = CampaignConfig.load(EXAMPLES.resolve("fashion-spark.yaml"));
        assertThat(spark.onSpark()).isTrue();
        assertThat(spark.inFlight()).isPositive();
        CampaignConfig own = CampaignConfig.load(EXAMPLES.resolve("own-images.yaml"));
        assertThat(own.ownImages()).isTrue();
        assertThat(Path.of(own.dataset())).isAbsolute().endsWithRaw(Path.of("my-photos")); // stored absolute: resume reads the same files
        assertThat(own.images().size()).containsExactly(64, 64);
        assertThat(own.images().spec(Path.of(own.dataset())).resize()).isEqualTo(org.anynas.data.folder.FolderSpec.Resize.CROP);
        CampaignConfig latency = CampaignConfig.load(EXAMPLES.resolve("fashion-nsga2-latency.yaml"));
        assertThat(List.of(latency.strategy(), latency.objective())).containsExactly(Strategy.NSGA2, Objective.LATENCY);
    }

    /** An example sets no key its strategy ignores: offspring_fraction is NSGA-II's alone, and max_age no strategy's. */
    @ParameterizedTest
    @MethodSource("campaigns")
    void setsNoIgnoredKey(Path file) throws IOException {
        JsonNode yaml = Json.yaml().readTree(file.toFile());
        assertThat(yaml.has("max_age")).as(file + " sets max_age").isFalse();
        if (CampaignConfig.load(file).strategy() != Strategy.NSGA2) {
            assertThat(yaml.has("offspring_fraction")).as(file + " sets offspring_fraction, which only NSGA-II uses").isFalse();
        }
    }

    /** A ladder in a campaign file is ASHA unless the file says otherwise. */
    @Test
    void aCampaignLadderIsAshaByDefault() {
        CampaignConfig config = CampaignConfig.quickstart("name: t\nmulti_fidelity: {min_epochs: 1}\n", "test campaign");
        assertThat(config.ladder().enabled()).isTrue();
        assertThat(config.ladder().rule()).isEqualTo(org.anynas.search.Ladder.Rule.ASHA);
    }
}
