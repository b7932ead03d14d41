package org.anynas.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The NVIDIA GPUs of this machine as {@code nvidia-smi} lists them (no CUDA library is loaded to ask), and
 * what ND4J's CUDA backend can do with them: {@code nd4j-cuda-11.6} 1.0.0-M2.1 ships machine code for
 * sm_37…sm_86 and no PTX, so it runs on Kepler through Ada (compute capability 3.7–8.9; Ada runs sm_86 code)
 * and can never run on Hopper (9.0) or newer.
 */
public final class NvidiaGpus {
    /** The newest compute-capability major version ND4J CUDA 11.6 (1.0.0-M2.1) has machine code for. */
    public static final int ND4J_CUDA_MAX_MAJOR = 8;

    public record Gpu(int index, String name, long memoryMiB, String computeCapability, String driver) {
        public int major() {
            return Integer.parseInt(computeCapability.split("\\.")[0]);
        }

        public String sm() {
            return "sm_" + computeCapability.replace(".", "");
        }
    }

    private NvidiaGpus() {
    }

    /** Empty when nvidia-smi is missing or fails (no driver). */
    public static Optional<List<Gpu>> list() {
        return CommandOutput.of(List.of("nvidia-smi", "--query-gpu=index,name,memory.total,compute_cap,driver_version",
                "--format=csv,noheader,nounits"), 30).map(NvidiaGpus::parse);
    }

    static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.strip().split("\n")) {
            String[] f = line.split(",");
            if (f.length < 5) continue;
            gpus.add(new Gpu(Integer.parseInt(f[0].strip()), f[1].strip(), Long.parseLong(f[2].strip()), f[3].strip(), f[4].strip()));
        }
        return gpus;
    }

    /** Why ND4J CUDA cannot use this GPU, or empty when it can. */
    public static Optional<String> nd4jCudaRefusal(Gpu g) {
        if (g.major() <= ND4J_CUDA_MAX_MAJOR) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "GPU %d (%s) has compute capability %s (%s), and ND4J CUDA 11.6 "
                + "(1.0.0-M2.1) has machine code only for sm_37..sm_86 and no PTX to compile for it: use backend: torch",
                g.index(), g.name(), g.computeCapability(), g.sm()));
    }
}
