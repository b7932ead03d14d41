package org.anynas.torch;

import org.anynas.data.Dataset;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The PyTorch backend of one campaign: its trial slots (one worker process each; on CUDA {@code trials_per_gpu}
 * per GPU, each pinned with CUDA_VISIBLE_DEVICES; on the CPU {@code cpuSlots} sharing the cores), the
 * trainer identity stored with its scores, and a line saying what was chosen and why.
 */
public final class TorchBackend implements AutoCloseable {
    private final List<TorchTrainer> slots;
    private final String identity;
    private final String description;

    private TorchBackend(List<TorchTrainer> slots, String identity, String description) {
        this.slots = List.copyOf(slots);
        this.identity = identity;
        this.description = description;
    }

    /**
     * @param probe    what PyTorch sees here (see {@link TorchProbe#probe})
     * @param cpuSlots concurrent trials when training on the CPU
     * @param log      the run's log file, which receives the workers' stderr
     */
    public static TorchBackend open(TorchSettings settings, TorchProbe probe, Dataset dataset, Duration timeLimit,
                                    BooleanSupplier stop, int cpuSlots, Path log, Map<String, String> environment) {
        boolean cuda = switch (settings.device()) {
            case "cuda" -> {
                if (!probe.cuda() || probe.gpus().isEmpty()) {
                    throw new org.anynas.space.UserInputException("torch.device is cuda, but PyTorch " + probe.version() + " at "
                            + probe.python() + (probe.cuda() ? " sees no GPU" : " was built without CUDA")
                            + ": set torch.device: cpu, or install a CUDA build of PyTorch");
                }
                yield true;
            }
            case "cpu" -> false;
            default -> probe.cuda() && !probe.gpus().isEmpty();
        };
        // torch.gpus is checked before the split files are written: a refused campaign writes nothing
        List<TorchProbe.Gpu> gpus = cuda ? selected(settings, probe) : List.of();
        TorchSlots make = TorchSlots.of(settings, probe, dataset, log, environment);
        String identity = make.identity(cuda);
        List<TorchTrainer> slots = new ArrayList<>();
        String description;
        if (cuda) {
            int per = settings.effectiveTrialsPerGpu();
            for (int t = 0; t < per; t++) {
                for (TorchProbe.Gpu g : gpus) { // round-robin, so that the first slots spread over the GPUs
                    slots.add(make.gpu(String.valueOf(g.index()), timeLimit, stop));
                }
            }
            StringBuilder names = new StringBuilder();
            for (TorchProbe.Gpu g : gpus) {
                names.append(names.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d: %s (sm_%s, %d GiB)",
                        g.index(), g.name(), g.capability().replace(".", ""), g.memoryMiB() / 1024));
            }
            description = String.format(Locale.ROOT, "backend torch %s on CUDA, %d GPU%s [%s] × %d trials per GPU = %d slots, %s%s",
                    probe.version(), gpus.size(), gpus.size() == 1 ? "" : "s", names, per, slots.size(), settings.numerics(true),
                    settings.trialsPerGpu() == 0 ? " (trials_per_gpu default " + TorchSettings.DEFAULT_TRIALS_PER_GPU + ")" : "");
        } else {
            int cores = Runtime.getRuntime().availableProcessors();
            int n = Math.max(1, cpuSlots);
            int threads = Math.max(1, cores / n);
            for (int i = 0; i < n; i++) {
                slots.add(make.cpu(threads, timeLimit, stop));
            }
            description = String.format(Locale.ROOT, "backend torch %s on the CPU (%s), %d slot%s × %d threads, %s",
                    probe.version(), settings.device().equals("cpu") ? "torch.device: cpu"
                            : probe.cuda() ? "PyTorch sees no GPU" : "this PyTorch has no CUDA", n, n == 1 ? "" : "s", threads,
                    settings.numerics(false));
        }
        return new TorchBackend(slots, identity, description);
    }

    private static List<TorchProbe.Gpu> selected(TorchSettings settings, TorchProbe probe) {
        List<Integer> wanted = settings.gpuList();
        if (wanted == null) return probe.gpus();
        List<TorchProbe.Gpu> out = new ArrayList<>();
        for (int i : wanted) {
            out.add(probe.gpus().stream().filter(g -> g.index() == i).findFirst().orElseThrow(() ->
                    new org.anynas.space.UserInputException("torch.gpus names GPU " + i + ", but PyTorch sees " + probe.gpus().size()
                            + " GPU(s) (0.." + (probe.gpus().size() - 1) + ")")));
        }
        return out;
    }

    public List<TorchTrainer> slots() {
        return slots;
    }

    public String identity() {
        return identity;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        slots.forEach(TorchTrainer::close);
    }
}
