package org.anynas.campaign;

import org.anynas.search.EvaluationPool;
import org.anynas.search.Search;
import org.anynas.search.SlotPool;
import org.anynas.search.Strategy;
import org.anynas.dl4j.CpuBackend;
import org.anynas.dl4j.MemoryLimit;
import org.anynas.dl4j.Nd4jBackendChoice;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.data.Dataset;
import org.anynas.torch.TorchBackend;
import org.anynas.torch.TorchProbe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Turns a campaign's {@code backend} choice into the pool its candidates train on, and says what was chosen
 * and why (the campaign header); {@link BackendChoice} decides what {@code auto} means.
 */
public final class Backends {
    private Backends() {
    }

    /** An open pool and the header line describing it. */
    public record Opened(EvaluationPool pool, String description) {
    }

    public static Opened open(CampaignConfig config, Dataset dataset, BooleanSupplier stop, Path log) {
        return open(config, dataset, stop, log, Map.of());
    }

    /** @param environment extra environment for worker processes (tests inject faults through it) */
    public static Opened open(CampaignConfig config, Dataset dataset, BooleanSupplier stop, Path log,
                              Map<String, String> environment) {
        if (config.onSpark()) return PoolProvider.find("spark").open(config, dataset, stop, log);
        Duration limit = Duration.ofSeconds((long) (config.candidateTimeLimitMinutes() * 60));
        int workers = config.settings().workers();
        BackendChoice chosen = BackendChoice.resolve(config.backendChoice(), BackendChoice.Probe.machine(config.torch().python()));
        if (config.backendChoice() == Backend.AUTO) {
            return chosen.torch().isPresent()
                    ? torch(config, dataset, stop, log, environment, limit, workers, chosen.torch().get(), " (auto: " + chosen.reason() + ")")
                    : dl4j(config, dataset, stop, "backend dl4j on the CPU (auto: " + chosen.reason() + ")");
        }
        return switch (chosen.backend()) {
            case DL4J -> dl4j(config, dataset, stop, "backend dl4j (chosen in the campaign)");
            case DL4J_CUDA -> {
                chosen.refusal().ifPresent(p -> {
                    throw new org.anynas.space.UserInputException(p);
                });
                yield dl4jCuda(config, dataset, stop);
            }
            case TORCH -> torch(config, dataset, stop, log, environment, limit, workers, chosen.torch().orElseThrow(() ->
                    new org.anynas.space.UserInputException(chosen.refusal().orElseThrow() + ": install it (Debian: sudo apt-get "
                            + "install python3-torch; with a GPU: pip install torch), or set torch.python to an interpreter that has it")), "");
            case AUTO -> throw new IllegalStateException("auto is resolved");
        };
    }

    /** DL4J on ND4J's CUDA backend: chosen before ND4J loads, and checked to have loaded (it falls back to nothing). */
    private static Opened dl4jCuda(CampaignConfig config, Dataset dataset, BooleanSupplier stop) {
        Nd4jBackendChoice.choose(Nd4jBackendChoice.Kind.CUDA);
        String device;
        try {
            device = CpuBackend.describe();
        } catch (RuntimeException | LinkageError e) {
            throw new org.anynas.space.UserInputException("backend dl4j-cuda: ND4J's CUDA backend did not start (" + e
                    + "): it needs the CUDA 11.6 and cuDNN 8.3 libraries (see docs/gpus.md); or use backend: torch");
        }
        return dl4j(config, dataset, stop, "backend dl4j-cuda on " + device + " (chosen in the campaign)");
    }

    private static Opened dl4j(CampaignConfig config, Dataset dataset, BooleanSupplier stop, String why) {
        ProxyTrainer trainer = dl4jTrainer(config, dataset, stop);
        int workers = config.settings().workers();
        return new Opened(SlotPool.shared(trainer, workers), why + ", " + workers + " worker" + (workers == 1 ? "" : "s"));
    }

    /** The campaign's DL4J trainer (its dataset split, time limit and memory limit). */
    public static ProxyTrainer dl4jTrainer(CampaignConfig config, Dataset dataset, BooleanSupplier stop) {
        return ProxyTrainer.of(dataset, Duration.ofSeconds((long) (config.candidateTimeLimitMinutes() * 60))).withStop(stop)
                .withMemoryLimit(MemoryLimit.machine(config.settings().workers()));
    }

    private static Opened torch(CampaignConfig config, Dataset dataset, BooleanSupplier stop, Path log,
                                Map<String, String> environment, Duration limit, int workers, TorchProbe torch, String why) {
        TorchBackend backend = TorchBackend.open(config.torch(), torch, dataset, limit, stop, workers, log, environment);
        SlotPool pool = SlotPool.of(backend.slots(), backend::close);
        String line = backend.description() + why;
        int window = config.inFlight();
        if (config.strategy() != Strategy.NSGA2 && window > 0 && window < pool.slots()) {
            line += String.format("%nnote: in_flight %d keeps %d of %d slots busy; raise in_flight to %d or more", window, window,
                    pool.slots(), Search.inFlightFor(pool.slots()));
        } else if (config.strategy() == Strategy.NSGA2 && config.settings().offspringPerGeneration() < pool.slots()) {
            int offspring = config.settings().offspringPerGeneration();
            line += String.format("%nnote: NSGA-II's %d offspring per generation keep %d of %d slots busy after the first generation; "
                    + "raise population × offspring_fraction to %d or more", offspring, offspring, pool.slots(), pool.slots());
        }
        return new Opened(pool, line);
    }
}
