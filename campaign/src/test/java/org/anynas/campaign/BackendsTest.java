package org.anynas.campaign;

import org.anynas.trainer.NvidiaGpus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backend: dl4j-cuda} is refused, before ND4J loads, with the one line that says what to do instead. */
class BackendsTest {
    private static final NvidiaGpus.Gpu H100 = new NvidiaGpus.Gpu(0, "NVIDIA H100 80GB HBM3", 81559, "9.0", "580.159.04");
    private static final NvidiaGpus.Gpu A100 = new NvidiaGpus.Gpu(1, "NVIDIA A100-SXM4-40GB", 40960, "8.0", "535.54.03");

    @Test
    void dl4jCudaNeedsAGpuNd4jHasCodeForAndABuildThatCarriesIt() {
        assertThat(BackendChoice.dl4jCudaProblem(Optional.empty(), true)).hasValueSatisfying(l -> assertThat(l)
                .contains("nvidia-smi finds none").endsWith("use backend: dl4j"));
        assertThat(BackendChoice.dl4jCudaProblem(Optional.of(List.of(A100, H100)), true)).hasValueSatisfying(l -> assertThat(l)
                .contains("GPU 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0 (sm_90)").endsWith("use backend: torch"));
        assertThat(BackendChoice.dl4jCudaProblem(Optional.of(List.of(A100)), false)).hasValueSatisfying(l -> assertThat(l)
                .contains("built without ND4J's CUDA backend").contains("-Pcuda"));
        assertThat(BackendChoice.dl4jCudaProblem(Optional.of(List.of(A100)), true)).isEmpty();
    }
}
