package org.anynas.dl4j;

import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes DL4J use its oneDNN layer helpers on the CPU backend. DL4J 1.0.0-M2.1 switches them off by default
 * and its availability check looks for a class that was renamed (bridged by {@code org.nd4j.nativeblas.Nd4jCpu});
 * without both fixes convolution, batch norm and pooling run the generic im2col path, about 5× slower.
 * Every entry point of the dl4j module calls {@link #activate()} before a layer is built.
 */
public final class CpuBackend {
    private static volatile boolean active;

    private CpuBackend() {
    }

    /** Idempotent; cheap after the first call. */
    public static void activate() {
        if (active) return;
        synchronized (CpuBackend.class) {
            if (active) return;
            Nd4jBackendChoice.chooseUnlessChosen(Nd4jBackendChoice.Kind.CPU);
            // read by HelperUtils each time a layer instantiates its helper (oneDNN on the CPU, cuDNN on CUDA),
            // so set before any graph is built
            System.setProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "false");
            Nd4j.setDefaultDataTypes(org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.FLOAT);
            if (Nd4jBackendChoice.chosen() == Nd4jBackendChoice.Kind.CPU && !isCpu()) {
                throw new IllegalStateException("ND4J loaded its " + Nd4j.getBackend().getClass().getSimpleName()
                        + " before the CPU backend was chosen");
            }
            if (isCpu()) {
                org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().setUseONEDNN(true);
            }
            active = true;
        }
    }

    public static boolean isCpu() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    /** What DL4J's own helper check answers: true when conv/BN/pool layers will get oneDNN helpers. */
    public static boolean oneDnnHelpersEnabled() {
        activate();
        return !Boolean.parseBoolean(System.getProperty(DL4JSystemProperties.DISABLE_HELPER_PROPERTY, "true"))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** A one-line description for logs and benchmark tables. */
    public static String describe() {
        activate();
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        if (!isCpu()) return "nd4j " + env.getProperty("backend") + " " + cudaDevice(env);
        return "nd4j " + env.getProperty("backend") + ", oneDNN helpers " + (oneDnnHelpersEnabled() ? "on" : "OFF")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** The first CUDA device's name as ND4J reports it ({@code cuda.devicesInformation}), or empty. */
    private static String cudaDevice(java.util.Properties env) {
        if (env.get("cuda.devicesInformation") instanceof java.util.List<?> devices && !devices.isEmpty()
                && devices.get(0) instanceof java.util.Map<?, ?> first) {
            return "cuda:0 " + first.get("cuda.deviceName");
        }
        return "";
    }
}
