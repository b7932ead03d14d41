package org.anynas.trainer;


import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NvidiaGpusTest {
    /** nvidia-smi --query-gpu=index,name,memory.total,compute_cap,driver_version --format=csv,noheader,nounits */
    static final String SMI = """
            0, NVIDIA H100 80GB HBM3, 81559, 9.0, 580.159.04
            1, NVIDIA A100-SXM4-40GB, 40960, 8.0, 580.159.04
            2, NVIDIA L4, 23034, 8.9, 580.159.04
            """;

    @Test
    void nd4jCudaRefusesHopperAndNewerAndAcceptsUpToAda() {
        var gpus = NvidiaGpus.parse(SMI);
        assertThat(gpus).extracting(NvidiaGpus.Gpu::sm).containsExactly("sm_90", "sm_80", "sm_89");
        assertThat(NvidiaGpus.nd4jCudaRefusal(gpus.get(0))).hasValueSatisfying(line -> assertThat(line)
                .contains("GPU 0 (NVIDIA H100 80GB HBM3)").contains("9.0").contains("sm_86").contains("backend: torch"));
        assertThat(NvidiaGpus.nd4jCudaRefusal(gpus.get(1))).isEmpty();
        assertThat(NvidiaGpus.nd4jCudaRefusal(gpus.get(2))).isEmpty();
    }
}
