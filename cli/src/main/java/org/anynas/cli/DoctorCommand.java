package org.anynas.cli;

import org.anynas.trainer.NvidiaGpus;
import org.anynas.data.DatasetLocator;
import org.anynas.data.KnownDataset;
import org.anynas.torch.TorchProbe;
import org.anynas.campaign.Backend;
import org.anynas.campaign.BackendChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "doctor", description = "What this machine can do: Java, CPU, ND4J natives, datasets, PyTorch, GPUs "
        + "and which backend can use each.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--python", defaultValue = "", description = "Interpreter to probe for PyTorch (default: python3, then /usr/bin/python3).")
    String python;

    @Override
    public Integer call() {
        PrintStream o = System.out;
        o.printf("Java       %s %s (%s)%n", System.getProperty("java.vendor"), Runtime.version(), System.getProperty("java.home"));
        o.printf("CPU        %d cores, %s%s%n", Runtime.getRuntime().availableProcessors(), cpuModel(), cpuFeatures());
        o.printf("ND4J       %s%n", nd4j());
        for (KnownDataset d : KnownDataset.values()) {
            Path found = DatasetLocator.standard().candidates(d, null).stream()
                    .filter(p -> Files.isDirectory(p) && d.presentIn(p)).findFirst().orElse(null);
            o.printf("dataset    %-14s %s%n", d.key(), found != null ? found : "not found (downloaded on first use, or --data-dir)");
        }
        TorchProbe.Result probe = TorchProbe.probe(python);
        TorchProbe torch = probe.torch().orElse(null);
        if (torch == null) {
            o.printf("PyTorch    not found: %s (Debian: sudo apt-get install python3-torch; GPU: a CUDA build from pytorch.org)%n", probe.problem());
        } else {
            o.printf("PyTorch    %s at %s, %s%n", torch.version(), torch.python(),
                    torch.cuda() ? "CUDA " + torch.cudaVersion() + ", sees " + torch.gpus().size() + " GPU(s)" : "CPU only (no CUDA)");
        }
        var gpus = NvidiaGpus.list();
        if (gpus.isEmpty() || gpus.get().isEmpty()) {
            o.println("GPUs       none (no NVIDIA driver or nvidia-smi)");
        } else {
            for (NvidiaGpus.Gpu g : gpus.get()) {
                o.printf(Locale.ROOT, "GPU %-6d %s, %.0f GiB, compute capability %s (%s), driver %s%n", g.index(), g.name(),
                        g.memoryMiB() / 1024.0, g.computeCapability(), g.sm(), g.driver());
                String viaTorch = torch == null ? "no (PyTorch not found)"
                        : !torch.cuda() ? "no (this PyTorch has no CUDA)"
                        : torch.gpus().stream().anyMatch(t -> t.name().equals(g.name())) ? "yes" : "no (PyTorch does not see it)";
                o.printf("           backend torch: %s%n", viaTorch);
                o.printf("           backend dl4j-cuda: %s%n", NvidiaGpus.nd4jCudaRefusal(g)
                        .map(r -> "no (" + r.replace(": use backend: torch", "") + ")")
                        .orElse(org.anynas.dl4j.Nd4jBackendChoice.cudaBuilt() ? "yes (ND4J CUDA 11.6 in this build; needs the CUDA 11.6 and cuDNN 8.3 libraries)"
                                : "the GPU is supported by ND4J CUDA 11.6, but this build has none (build with -Pcuda)"));
            }
        }
        BackendChoice auto = BackendChoice.resolve(Backend.AUTO, BackendChoice.Probe.machine(() -> probe));
        o.printf("backend    auto chooses %s here (%s)%n", auto.backend() == Backend.TORCH ? "torch on CUDA" : "dl4j on the CPU", auto.reason());
        return 0;
    }

    private static String nd4j() {
        try {
            Class.forName("org.nd4j.linalg.factory.Nd4j", false, DoctorCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "not on the classpath (a torch-only installation)";
        }
        try {
            return Nd4jInfo.describe();
        } catch (LinkageError | RuntimeException e) {
            return "cannot load its natives: " + e;
        }
    }

    private static String cpuModel() {
        return cpuinfo("model name").orElse(System.getProperty("os.arch"));
    }

    private static String cpuFeatures() {
        String flags = cpuinfo("flags").orElse("");
        List<String> wanted = List.of("avx2", "avx512f", "fma");
        StringBuilder sb = new StringBuilder();
        for (String f : wanted) if ((" " + flags + " ").contains(" " + f + " ")) sb.append(sb.length() == 0 ? ", " : " ").append(f);
        return sb.toString();
    }

    private static java.util.Optional<String> cpuinfo(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Kept apart so that ND4J classes load only when they are on the classpath. */
    private static final class Nd4jInfo {
        static String describe() {
            return org.anynas.dl4j.CpuBackend.describe();
        }
    }
}
