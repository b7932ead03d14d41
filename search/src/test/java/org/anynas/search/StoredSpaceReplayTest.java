package org.anynas.search;

import org.anynas.space.DesignSpace;
import org.anynas.space.Json;
import org.anynas.space.Shape;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign started on the built-in anynet before it gained the X block stored that space's YAML (the snapshot in
 * space's test resources, as CampaignRunner wrote it) and resumes from it: every strategy proposes, from that snapshot,
 * the candidates the AnyNAS of then proposed (recorded with it at commit 8ac5bf4: seed 8, 40 candidates each, the
 * settings of SearchTest), so its replay finds the genes it stored.
 */
class StoredSpaceReplayTest {

    @Test
    void aCampaignOnTheAnynetOfBeforeTheXBlockProposesWhatItProposedThen() throws IOException {
        // the one copy of the snapshot lives with the space module's tests (surefire runs in the module directory)
        DesignSpace stored = Json.yaml().readValue(
                Path.of("../space/src/test/resources/stored-spaces/anynet-before-x.yaml").toFile(), DesignSpace.class);
        List<String> then;
        try (InputStream in = getClass().getResourceAsStream("/anynet-before-x-candidates.txt")) {
            then = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> now = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            List<Visit> visits = Search.of(stored.layout(Shape.of(1, 28, 28), 10), SearchTest.settings(s, 8, 40, 1),
                    SearchTest.F, new FakeTrainer(), new MemoryLog(), SearchListener.NONE).run();
            for (Visit v : visits) {
                now.add(s.key() + " " + v.seq() + " " + v.origin() + " " + ArchitectureCodec.text(v.genes()) + " " + v.hash());
            }
        }
        assertThat(now).containsExactlyElementsOf(then);
    }
}
