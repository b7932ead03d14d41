package org.anynas.bench;

import org.anynas.campaign.CampaignConfig;
import org.anynas.space.UserInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LadderBenchTest {

    @Test
    void armsNameARuleAnEtaAndOptionallyTheFirstRung() {
        List<LadderBench.Arm> arms = LadderBench.Arm.parse("median:3, asha:2,median:3:3");
        assertThat(arms).containsExactly(new LadderBench.Arm("median", 3, 1), new LadderBench.Arm("asha", 2, 1),
                new LadderBench.Arm("median", 3, 3));
        assertThat(arms).extracting(LadderBench.Arm::name).containsExactly("median eta 3", "asha eta 2", "median eta 3 from 3");
        // the campaign each arm runs: 3 → 9 epochs for the last
        LadderBench.Settings s = LadderBench.Settings.standard(1, 30, "torch", 2, arms, BenchData.FASHION, Path.of("/tmp/none"));
        CampaignConfig c = LadderBench.config(s, arms.get(2).key(), 1, "x", 1500, arms.get(2).yaml());
        assertThat(c.ladder().rungs()).containsExactly(3, 9);
        assertThat(c.ladder().rule().key()).isEqualTo("median");
    }

    @Test
    void aMalformedArmIsOneClearLine() {
        for (String bad : List.of("median", "median:x", "median:3:", "median:3:3:3", "fast:3", "median:1", "median:3:0")) {
            assertThatThrownBy(() -> LadderBench.Arm.parse(bad)).as(bad).isInstanceOf(UserInputException.class)
                    .message().startsWith("--ladders").doesNotContain("\n");
        }
    }
}
