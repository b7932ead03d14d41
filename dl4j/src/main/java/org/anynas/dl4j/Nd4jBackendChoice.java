package org.anynas.dl4j;

import org.nd4j.common.config.ND4JClassLoading;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Which ND4J backend this process trains DL4J networks on. ND4J loads one backend per process, preferring CUDA
 * whenever its backend is on the classpath and a device answers, and can be steered only through environment
 * variables. A CLI built with {@code -Pcuda} carries both backends, yet a {@code backend: dl4j} campaign must get
 * the CPU one (on a Hopper GPU the CUDA one would load and then fail at its first kernel). So the choice is made
 * here, before ND4J loads, by letting ND4J's backend lookup see only the chosen backend's service entry.
 */
public final class Nd4jBackendChoice {
    private static final String SERVICE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";
    private static Kind chosen;

    /** The two backends and the class ND4J's service entry names for each. */
    public enum Kind {
        CPU("org.nd4j.linalg.cpu.nativecpu.CpuBackend"),
        CUDA("org.nd4j.linalg.jcublas.JCublasBackend");

        private final String backendClass;

        Kind(String backendClass) {
            this.backendClass = backendClass;
        }
    }

    private Nd4jBackendChoice() {
    }

    /** Whether this build carries ND4J's CUDA backend ({@code -Pcuda}); answers without loading ND4J. */
    public static boolean cudaBuilt() {
        String file = Kind.CUDA.backendClass.replace('.', '/') + ".class";
        return Nd4jBackendChoice.class.getClassLoader().getResource(file) != null;
    }

    /**
     * Chooses the backend ND4J will load; the first choice in a process holds. Call before anything touches
     * ND4J; {@link CpuBackend#activate()} chooses the CPU when nothing was chosen.
     *
     * @throws IllegalStateException when another backend was chosen already in this process
     */
    public static synchronized void choose(Kind kind) {
        if (chosen == kind) return;
        if (chosen != null) throw new IllegalStateException("ND4J's " + chosen + " backend was chosen already in this process");
        chosen = kind;
        ClassLoader parent = Nd4jBackendChoice.class.getClassLoader();
        ND4JClassLoading.setNd4jClassloader(new OnlyBackend(parent, kind));
    }

    /** Chooses {@code kind} unless a backend was chosen already. */
    static synchronized void chooseUnlessChosen(Kind kind) {
        if (chosen == null) choose(kind);
    }

    /** The backend chosen in this process, or null before any choice. */
    public static synchronized Kind chosen() {
        return chosen;
    }

    /** Delegates everything to its parent, except that ND4J's backend lookup finds only one backend. */
    static final class OnlyBackend extends ClassLoader {
        private final String backendClass;

        OnlyBackend(ClassLoader parent, Kind kind) {
            super(parent);
            this.backendClass = kind.backendClass;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> all = super.getResources(name);
            if (!SERVICE.equals(name)) return all;
            List<URL> kept = new ArrayList<>();
            for (URL url : Collections.list(all)) {
                try (InputStream in = url.openStream()) {
                    if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(backendClass)) kept.add(url);
                }
            }
            return Collections.enumeration(kept);
        }
    }
}
