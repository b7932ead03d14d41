package org.anynas.campaign;

import org.anynas.dl4j.Nd4jBackendChoice;
import org.anynas.trainer.NvidiaGpus;
import org.anynas.torch.TorchProbe;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@code backend} choice resolves to on a machine, decided in one place for campaigns, {@code ./nas train},
 * {@code ./nas doctor} and Spark executors, so that they cannot disagree about {@code auto}: PyTorch when there is an
 * NVIDIA GPU and a CUDA build of PyTorch that sees a GPU, else DL4J on the CPU, which needs nothing installed.
 *
 * @param backend the backend to train on (never {@code AUTO}); for a refused choice, the choice itself
 * @param torch   the PyTorch to train with, present exactly when {@code backend} is {@code TORCH} and not refused
 * @param reason  why {@code auto} chose this ("no NVIDIA GPU here"); empty for an explicit choice
 * @param refusal why the explicit choice cannot run here; callers add their own "how to fix" for their flags
 */
public record BackendChoice(Backend backend, Optional<TorchProbe> torch, String reason, Optional<String> refusal) {

    public BackendChoice {
        if (backend == Backend.AUTO) throw new IllegalArgumentException("auto resolves to a backend");
        if (torch.isPresent() != (backend == Backend.TORCH && refusal.isEmpty())) {
            throw new IllegalArgumentException("torch is present exactly for a usable torch backend");
        }
    }

    /** The facts the choice depends on; the machine's are asked only when needed (the torch probe starts Python). */
    public interface Probe {
        /** An NVIDIA driver with a device (for Spark: tasks are given GPUs). */
        boolean nvidiaDevice();

        TorchProbe.Result torch();

        /** nvidia-smi's GPUs, empty without a driver (only {@code dl4j-cuda} asks). */
        Optional<List<NvidiaGpus.Gpu>> nvidiaGpus();

        /** This build carries ND4J's CUDA backend (only {@code dl4j-cuda} asks). */
        boolean nd4jCudaBuilt();

        /** This machine, probing PyTorch with {@code python} (blank: the default interpreters) at most once. */
        static Probe machine(String python) {
            return machine(() -> TorchProbe.probe(python));
        }

        /** This machine, with PyTorch already probed (or probed by {@code torch}, at most once). */
        static Probe machine(Supplier<TorchProbe.Result> torch) {
            Supplier<TorchProbe.Result> once = memo(torch);
            return new Probe() {
                public boolean nvidiaDevice() {
                    return TorchProbe.nvidiaDevicePresent();
                }

                public TorchProbe.Result torch() {
                    return once.get();
                }

                public Optional<List<NvidiaGpus.Gpu>> nvidiaGpus() {
                    return NvidiaGpus.list();
                }

                public boolean nd4jCudaBuilt() {
                    return Nd4jBackendChoice.cudaBuilt();
                }
            };
        }

        private static <T> Supplier<T> memo(Supplier<T> s) {
            Object[] cell = new Object[1];
            return () -> {
                synchronized (cell) {
                    if (cell[0] == null) cell[0] = s.get();
                    @SuppressWarnings("unchecked") T t = (T) cell[0];
                    return t;
                }
            };
        }
    }

    /** Given facts, for tests and for Spark (whose facts come from the cluster's settings and an executor). */
    public record Facts(boolean nvidiaDevice, TorchProbe.Result torch, Optional<List<NvidiaGpus.Gpu>> nvidiaGpus,
                        boolean nd4jCudaBuilt) implements Probe {
    }

    public static BackendChoice resolve(Backend choice, Probe probe) {
        switch (choice) {
            case DL4J -> {
                return new BackendChoice(Backend.DL4J, Optional.empty(), "", Optional.empty());
            }
            case DL4J_CUDA -> {
                return new BackendChoice(Backend.DL4J_CUDA, Optional.empty(), "",
                        dl4jCudaProblem(probe.nvidiaGpus(), probe.nd4jCudaBuilt()));
            }
            case TORCH -> {
                TorchProbe.Result r = probe.torch();
                return r.torch().isPresent() ? new BackendChoice(Backend.TORCH, r.torch(), "", Optional.empty())
                        : new BackendChoice(Backend.TORCH, Optional.empty(), "",
                        Optional.of("backend torch needs PyTorch, but " + r.problem()));
            }
            default -> {
                // the device check first: it is a file test, the torch probe starts Python
                if (!probe.nvidiaDevice()) return dl4jBecause("no NVIDIA GPU here");
                TorchProbe.Result r = probe.torch();
                if (r.torch().isEmpty()) {
                    return dl4jBecause("an NVIDIA GPU is here, but " + r.problem() + "; install a CUDA build of PyTorch to train on it");
                }
                TorchProbe t = r.torch().get();
                if (!t.cuda() || t.gpus().isEmpty()) {
                    return dl4jBecause("PyTorch " + t.version() + " at " + t.python() + (t.cuda() ? " sees no GPU" : " has no CUDA"));
                }
                return new BackendChoice(Backend.TORCH, r.torch(), "PyTorch with CUDA and " + t.gpus().size() + " GPU(s) found",
                        Optional.empty());
            }
        }
    }

    private static BackendChoice dl4jBecause(String reason) {
        return new BackendChoice(Backend.DL4J, Optional.empty(), reason, Optional.empty());
    }

    /**
     * Checked before ND4J's CUDA backend could load (it would fail with "no kernel image" deep inside a
     * training): every GPU it would use must be one ND4J CUDA 11.6 has machine code for, and this build must carry it.
     */
    static Optional<String> dl4jCudaProblem(Optional<List<NvidiaGpus.Gpu>> gpus, boolean cudaBuilt) {
        if (gpus.isEmpty() || gpus.get().isEmpty()) {
            return Optional.of("backend dl4j-cuda needs an NVIDIA GPU and its driver, but nvidia-smi finds none: use backend: dl4j");
        }
        for (NvidiaGpus.Gpu g : gpus.get()) {
            var refusal = NvidiaGpus.nd4jCudaRefusal(g);
            if (refusal.isPresent()) return Optional.of("backend dl4j-cuda: " + refusal.get());
        }
        if (!cudaBuilt) {
            return Optional.of("backend dl4j-cuda: this CLI was built without ND4J's CUDA backend: build it with "
                    + "mvn -B -Pcuda -DskipTests package (see docs/gpus.md), or use backend: torch");
        }
        return Optional.empty();
    }
}
