package org.anynas.cli;

import org.anynas.trainer.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The bars' text and screen control; the real terminal is exercised by cli/checks/terminal-bars.sh under tmux. */
class SlotBarsTest {

    @Test
    void aBarPerSlotThread_finishedLinesAboveThem_nothingLeftAfterClose() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SlotBars bars = SlotBars.start(out);
        Thread a = new Thread(() -> {
            for (int b = 1; b <= 3; b++) TrainingProgress.report(1, 2, b, 3, 0.5, 60L * b, System.nanoTime() - 1_000_000_000L);
        });
        Thread b = new Thread(() -> TrainingProgress.report(2, 2, 1, 3, 0.25, 60, System.nanoTime() - 1_000_000_000L));
        a.start();
        a.join();
        b.start();
        b.join();
        Thread.sleep(400); // the bars refresh every 250 ms
        bars.line("  [#---] 1/4 finished");
        bars.close();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("slot 1").contains("slot 2").contains("epoch 1/2 batch 3/3 loss 0.500 180 img/s")
                .contains("epoch 2/2 batch 1/3 loss 0.250 60 img/s").contains("  [#---] 1/4 finished\n");
        // every bar drawn is erased again: the last thing written is the erase of the bars, not a bar
        assertThat(text.substring(text.lastIndexOf("1/4 finished"))).contains("\033[J");
        assertThat(text).endsWith("\033[J");
    }
}
