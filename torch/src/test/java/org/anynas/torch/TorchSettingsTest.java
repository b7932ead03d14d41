package org.anynas.torch;

import org.anynas.space.UserInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorchSettingsTest {

    private static TorchSettings layout(String channelsLast) {
        return new TorchSettings("", "auto", "all", 0, "fp32", channelsLast);
    }

    private static java.util.List<String> command(TorchSettings s, String device) {
        return new TorchWorker.Spec("python3", Path.of("src"), Path.of("split"), device, "-", null, s, 2, Path.of("log"), Map.of())
                .command();
    }

    @Test
    void autoTrainsChannelsLastOnTheCpuOnlyAndTheIdentitySaysWhichLayoutScoredIt() {
        TorchSettings auto = TorchSettings.defaults();
        assertThat(auto.channelsLast()).isEqualTo("auto");
        assertThat(command(auto, "cpu")).contains("--channels-last");
        assertThat(command(auto, "cuda")).doesNotContain("--channels-last");
        assertThat(command(layout("false"), "cpu")).doesNotContain("--channels-last");
        assertThat(command(layout("true"), "cuda")).contains("--channels-last");
        // scores of different layouts never answer each other in the score cache
        assertThat(TorchSlots.identity("2.0", false, auto)).contains("cpu fp32 channels-last,")
                .isNotEqualTo(TorchSlots.identity("2.0", false, layout("false")));
        assertThat(TorchSlots.identity("2.0", true, auto)).isEqualTo(TorchSlots.identity("2.0", true, layout("false")));
    }

    @Test
    void aLayoutOtherThanAutoTrueOrFalseIsOneClearError() {
        assertThat(layout(" TRUE ").channelsLast()).isEqualTo("true");
        assertThat(layout(null).channelsLast()).isEqualTo("auto");
        assertThatThrownBy(() -> layout("nhwc")).isInstanceOf(UserInputException.class)
                .hasMessage("torch.channels_last must be auto, true or false, got 'nhwc'");
    }
}
