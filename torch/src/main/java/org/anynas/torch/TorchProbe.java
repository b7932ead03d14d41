package org.anynas.torch;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What PyTorch can do on this machine: which interpreter has it, its version, whether it was built with
 * CUDA, and every GPU it sees (name, memory, compute capability).
 */
public record TorchProbe(String python, String version, boolean cuda, String cudaVersion, List<Gpu> gpus)
        implements java.io.Serializable { // Spark executors send theirs to the driver

    public record Gpu(int index, String name, long memoryMiB, String capability) implements java.io.Serializable {
        public int major() {
            return Integer.parseInt(capability.split("\\.")[0]);
        }
    }

    private static final String SCRIPT = """
            import json, torch
            gpus = []
            if torch.cuda.is_available():
                for i in range(torch.cuda.device_count()):
                    p = torch.cuda.get_device_properties(i)
                    gpus.append({"index": i, "name": p.name, "memory_mib": p.total_memory // 2**20,
                                 "capability": "%d.%d" % (p.major, p.minor)})
            print(json.dumps({"version": torch.__version__, "cuda": torch.version.cuda is not None,
                              "cuda_version": torch.version.cuda or "", "gpus": gpus}))
            """;

    /** Interpreters tried when none is configured, in order. */
    static final List<String> CANDIDATES = List.of("python3", "/usr/bin/python3");

    /** Probes the configured interpreter, or the first candidate that imports torch; empty with the reason. */
    public static Result probe(String configured) {
        List<String> tried = configured == null || configured.isBlank() ? CANDIDATES : List.of(configured);
        List<String> problems = new ArrayList<>();
        for (String python : tried) {
            String out = org.anynas.trainer.CommandOutput.of(List.of(python, "-c", SCRIPT), 120).orElse(null);
            if (out == null) {
                problems.add(python + " cannot import torch");
                continue;
            }
            try {
                JsonNode n = TorchWorker.JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElse(""));
                List<Gpu> gpus = new ArrayList<>();
                n.path("gpus").forEach(g -> gpus.add(new Gpu(g.path("index").asInt(), g.path("name").asText(),
                        g.path("memory_mib").asLong(), g.path("capability").asText())));
                return new Result(Optional.of(new TorchProbe(python, n.path("version").asText(), n.path("cuda").asBoolean(),
                        n.path("cuda_version").asText(), gpus)), "");
            } catch (IOException e) {
                problems.add(python + " answered " + out.strip());
            }
        }
        return new Result(Optional.empty(), String.join("; ", problems));
    }

    public record Result(Optional<TorchProbe> torch, String problem) {
    }

    /** Cheap first test before starting Python: is there an NVIDIA driver with a device at all? */
    public static boolean nvidiaDevicePresent() {
        return Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/proc/driver/nvidia/gpus"));
    }
}
