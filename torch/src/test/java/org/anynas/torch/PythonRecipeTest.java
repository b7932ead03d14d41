package org.anynas.torch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's final-training ingredients on their own (src/test/python/test_recipe.py: random erasing's rule, warm-up,
 * the EMA step), run with the PyTorch the engine would use, so CI runs them without pytest.
 */
class PythonRecipeTest {

    @Test
    void theWorkersRecipeIngredientsPassTheirTests() throws Exception {
        TorchProbe torch = Torch.required();
        Process p = new ProcessBuilder(torch.python(), "src/test/python/test_recipe.py").redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("ok test_")).count()).as(out).isEqualTo(4);
    }
}
