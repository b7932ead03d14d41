package org.anynas.bench;

import org.anynas.dl4j.CpuBackend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a benchmark ran on, printed at the top of every result file so numbers are never read without it. */
public record Machine(String cpu, int cores, long memoryBytes, String os, String java, String backend) {

    public static Machine current() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the rest of the description still identifies the machine
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), CpuBackend.describe()
                        + (System.getenv("GOMP_SPINCOUNT") == null ? "" : ", GOMP_SPINCOUNT " + System.getenv("GOMP_SPINCOUNT")));
    }

    public String oneLine() {
        return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, %s, %s; %s", cpu, cores, memoryBytes / (double) (1L << 30),
                os, java, backend);
    }
}
