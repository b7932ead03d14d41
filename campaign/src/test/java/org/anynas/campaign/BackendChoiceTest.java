package org.anynas.campaign;

import org.anynas.trainer.NvidiaGpus;
import org.anynas.torch.TorchProbe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every backend choice against the machines that matter, on given facts (no process is started): what it resolves
 * to, and the reason or the refusal. {@code auto} is the campaign's rule, which train, doctor and Spark now share.
 */
class BackendChoiceTest {
    private static final NvidiaGpus.Gpu A100 = new NvidiaGpus.Gpu(0, "NVIDIA A100-SXM4-40GB", 40960, "8.0", "535.54.03");
    private static final NvidiaGpus.Gpu H100 = new NvidiaGpus.Gpu(0, "NVIDIA H100 80GB HBM3", 81559, "9.0", "580.159.04");
    private static final TorchProbe.Result NO_TORCH = new TorchProbe.Result(Optional.empty(), "python3 cannot import torch");
    private static final TorchProbe CPU_TORCH = new TorchProbe("python3", "2.1.0", false, "", List.of());
    private static final TorchProbe CUDA_NO_GPU = new TorchProbe("python3", "2.4.1", true, "12.1", List.of());
    private static final TorchProbe CUDA_TORCH = new TorchProbe("/opt/venv/bin/python", "2.4.1", true, "12.1",
            List.of(new TorchProbe.Gpu(0, "NVIDIA A100-SXM4-40GB", 40960, "8.0")));

    /** One machine: whether a device is there, what PyTorch says, what nvidia-smi lists. */
    private record Machine(String name, boolean device, TorchProbe.Result torch, Optional<List<NvidiaGpus.Gpu>> smi) {
        BackendChoice.Facts facts() {
            return new BackendChoice.Facts(device, torch, smi, true);
        }
    }

    private static final Machine NO_GPU = new Machine("no GPU", false, NO_TORCH, Optional.empty());
    private static final Machine NO_GPU_CPU_TORCH = new Machine("no GPU, CPU torch", false, found(CPU_TORCH), Optional.empty());
    private static final Machine GPU_NO_TORCH = new Machine("GPU, no torch", true, NO_TORCH, Optional.of(List.of(A100)));
    private static final Machine GPU_CPU_TORCH = new Machine("GPU, CPU-only torch", true, found(CPU_TORCH), Optional.of(List.of(A100)));
    private static final Machine GPU_CUDA_TORCH_NO_GPU = new Machine("GPU, CUDA torch that sees none", true, found(CUDA_NO_GPU),
            Optional.of(List.of(A100)));
    private static final Machine GPU_CUDA_TORCH = new Machine("GPU, CUDA torch", true, found(CUDA_TORCH), Optional.of(List.of(A100)));

    /** choice × machine → backend, torch used, reason, refusal ("" for none). */
    private record Case(Backend choice, Machine machine, Backend backend, boolean torch, String reason, String refusal) {
    }

    private static final String NEEDS_TORCH = "backend torch needs PyTorch, but python3 cannot import torch";
    private static final String NO_SMI = "backend dl4j-cuda needs an NVIDIA GPU and its driver, but nvidia-smi finds none: use backend: dl4j";

    private static final List<Case> TABLE = List.of(
            new Case(Backend.AUTO, NO_GPU, Backend.DL4J, false, "no NVIDIA GPU here", ""),
            new Case(Backend.AUTO, NO_GPU_CPU_TORCH, Backend.DL4J, false, "no NVIDIA GPU here", ""),
            new Case(Backend.AUTO, GPU_NO_TORCH, Backend.DL4J, false,
                    "an NVIDIA GPU is here, but python3 cannot import torch; install a CUDA build of PyTorch to train on it", ""),
            new Case(Backend.AUTO, GPU_CPU_TORCH, Backend.DL4J, false, "PyTorch 2.1.0 at python3 has no CUDA", ""),
            new Case(Backend.AUTO, GPU_CUDA_TORCH_NO_GPU, Backend.DL4J, false, "PyTorch 2.4.1 at python3 sees no GPU", ""),
            new Case(Backend.AUTO, GPU_CUDA_TORCH, Backend.TORCH, true, "PyTorch with CUDA and 1 GPU(s) found", ""),

            new Case(Backend.DL4J, NO_GPU, Backend.DL4J, false, "", ""),
            new Case(Backend.DL4J, GPU_NO_TORCH, Backend.DL4J, false, "", ""),
            new Case(Backend.DL4J, GPU_CPU_TORCH, Backend.DL4J, false, "", ""),
            new Case(Backend.DL4J, GPU_CUDA_TORCH, Backend.DL4J, false, "", ""),

            new Case(Backend.TORCH, NO_GPU, Backend.TORCH, false, "", NEEDS_TORCH),
            new Case(Backend.TORCH, NO_GPU_CPU_TORCH, Backend.TORCH, true, "", ""), // explicit torch trains on the CPU
            new Case(Backend.TORCH, GPU_NO_TORCH, Backend.TORCH, false, "", NEEDS_TORCH),
            new Case(Backend.TORCH, GPU_CPU_TORCH, Backend.TORCH, true, "", ""),
            new Case(Backend.TORCH, GPU_CUDA_TORCH, Backend.TORCH, true, "", ""),

            new Case(Backend.DL4J_CUDA, NO_GPU, Backend.DL4J_CUDA, false, "", NO_SMI),
            new Case(Backend.DL4J_CUDA, GPU_NO_TORCH, Backend.DL4J_CUDA, false, "", ""),
            new Case(Backend.DL4J_CUDA, GPU_CPU_TORCH, Backend.DL4J_CUDA, false, "", ""),
            new Case(Backend.DL4J_CUDA, GPU_CUDA_TORCH, Backend.DL4J_CUDA, false, "", ""));

    @Test
    void everyChoiceOnEveryMachineResolvesAsTheTableSays() {
        List<String> wrong = new ArrayList<>();
        for (Case c : TABLE) {
            BackendChoice r = BackendChoice.resolve(c.choice(), c.machine().facts());
            String got = r.backend() + " torch=" + r.torch().isPresent() + " reason=" + r.reason() + " refusal=" + r.refusal().orElse("");
            String want = c.backend() + " torch=" + c.torch() + " reason=" + c.reason() + " refusal=" + c.refusal();
            if (!got.equals(want)) wrong.add(c.choice() + " on " + c.machine().name() + ": got " + got + ", want " + want);
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void autoUsesThePyTorchItProbed() {
        BackendChoice r = BackendChoice.resolve(Backend.AUTO, GPU_CUDA_TORCH.facts());
        assertThat(r.torch()).contains(CUDA_TORCH);
    }

    @Test
    void withoutAnNvidiaDeviceAutoDoesNotStartPython() {
        BackendChoice.Probe noDevice = new BackendChoice.Probe() {
            public boolean nvidiaDevice() {
                return false;
            }

            public TorchProbe.Result torch() {
                throw new AssertionError("probed PyTorch without an NVIDIA device");
            }

            public Optional<List<NvidiaGpus.Gpu>> nvidiaGpus() {
                throw new AssertionError("ran nvidia-smi for auto");
            }

            public boolean nd4jCudaBuilt() {
                throw new AssertionError("asked for ND4J CUDA for auto");
            }
        };
        assertThat(BackendChoice.resolve(Backend.AUTO, noDevice).backend()).isEqualTo(Backend.DL4J);
    }

    @Test
    void dl4jCudaRefusesAGpuNd4jHasNoCodeForAndABuildWithoutIt() {
        assertThat(BackendChoice.resolve(Backend.DL4J_CUDA, new BackendChoice.Facts(true, NO_TORCH, Optional.of(List.of(H100)), true))
                .refusal()).hasValueSatisfying(l -> assertThat(l).startsWith("backend dl4j-cuda: ").endsWith("use backend: torch"));
        assertThat(BackendChoice.resolve(Backend.DL4J_CUDA, new BackendChoice.Facts(true, NO_TORCH, Optional.of(List.of(A100)), false))
                .refusal()).hasValueSatisfying(l -> assertThat(l).contains("built without ND4J's CUDA backend"));
    }

    private static TorchProbe.Result found(TorchProbe t) {
        return new TorchProbe.Result(Optional.of(t), "");
    }
}
