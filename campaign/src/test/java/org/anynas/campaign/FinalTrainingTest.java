package org.anynas.campaign;

import org.anynas.space.UserInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinalTrainingTest {

    @Test
    void aCampaignsFinalTrainingKeysOverrideTheDefaultsOneByOne() {
        CampaignConfig c = CampaignConfig.parse("name: t\nfinal_training: {epochs: 12, augment: true, erasing: 0.25, "
                + "label_smoothing: 0.1, warmup_epochs: 2, ema: 0.999, seeds: 3}\n", "test");
        assertThat(c.finalTraining()).isEqualTo(new FinalTraining(12, true, true, 0.25, 0.1, 2, 0.999, 3));
        assertThat(CampaignConfig.parse("name: t\nfinal_training: {flip: false}\n", "test").finalTraining())
                .isEqualTo(new FinalTraining(FinalTraining.defaults().epochs(), FinalTraining.defaults().augment(), false,
                        FinalTraining.defaults().erasing(), FinalTraining.defaults().labelSmoothing(),
                        FinalTraining.defaults().warmupEpochs(), FinalTraining.defaults().ema(), FinalTraining.defaults().seeds()));
        // stored with the campaign and read back the same
        assertThat(CampaignConfig.parse(c.toYaml(), "stored").finalTraining()).isEqualTo(c.finalTraining());
    }

    /** torch.channels_last: auto by default; YAML's booleans still mean on and off (older campaigns store false). */
    @Test
    void theTorchLayoutIsAutoByDefaultAndReadsYamlBooleans() {
        assertThat(CampaignConfig.parse("name: t\n", "test").torch().channelsLast()).isEqualTo("auto");
        CampaignConfig off = CampaignConfig.parse("name: t\ntorch: {channels_last: false}\n", "test");
        assertThat(off.torch().channelsLast(false)).isFalse();
        assertThat(CampaignConfig.parse(off.toYaml(), "stored").torch()).isEqualTo(off.torch());
        assertThat(CampaignConfig.parse("name: t\ntorch: {channels_last: true}\n", "test").torch().channelsLast(true)).isTrue();
        assertThatThrownBy(() -> CampaignConfig.parse("name: t\ntorch: {channels_last: sometimes}\n", "f.yaml"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("torch.channels_last");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> CampaignConfig.parse("name: t\nfinal_training: {ema: 1}\n", "f.yaml"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("final_training.ema");
        assertThatThrownBy(() -> CampaignConfig.parse("name: t\nfinal_training: {epochs: 3, warmup_epochs: 3}\n", "f.yaml"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("final_training.warmup_epochs");
        assertThatThrownBy(() -> CampaignConfig.parse("name: t\nfinal_training: {mixup: 0.2}\n", "f.yaml"))
                .isInstanceOf(UserInputException.class).hasMessageContaining("final_training.mixup");
    }
}
