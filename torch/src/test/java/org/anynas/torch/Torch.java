package org.anynas.torch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The PyTorch tests run against: this machine's, or the test is skipped with the reason (.ci/run installs it). */
public final class Torch {
    private Torch() {
    }

    public static TorchProbe required() {
        TorchProbe.Result r = TorchProbe.probe("");
        assumeTrue(r.torch().isPresent(), "PyTorch not found (" + r.problem() + "); .ci/run installs python3-torch");
        return r.torch().get();
    }
}
