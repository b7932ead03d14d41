package org.anynas.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a campaign uses PyTorch: the interpreter, the device, which GPUs and how many trials share each, and
 * the numerics (precision, memory layout), which are part of the trainer's identity in the score cache.
 *
 * @param python       interpreter with torch; "" = the first of python3 on PATH and /usr/bin/python3 that has it
 * @param device       auto (CUDA when PyTorch sees a GPU, else CPU), cuda or cpu
 * @param gpus         "all" or a comma-separated list of GPU indices, e.g. "0,2"
 * @param trialsPerGpu concurrent trials (worker processes) per GPU; 0 = {@link #DEFAULT_TRIALS_PER_GPU}
 * @param precision    fp32, or bf16 autocast
 * @param channelsLast NHWC memory layout: true, false, or auto (on the CPU, not on CUDA; {@link #channelsLast(boolean)})
 */
public record TorchSettings(String python, String device, String gpus, int trialsPerGpu, String precision,
                            String channelsLast) {
    /** Measured on an H100 (bench/results/gpu-*.md): small CNNs leave one process far from filling the GPU. */
    public static final int DEFAULT_TRIALS_PER_GPU = 4;

    public TorchSettings {
        python = python == null ? "" : python.strip();
        device = device == null || device.isBlank() ? "auto" : device.strip().toLowerCase(Locale.ROOT);
        gpus = gpus == null || gpus.isBlank() ? "all" : gpus.strip().toLowerCase(Locale.ROOT);
        precision = precision == null || precision.isBlank() ? "fp32" : precision.strip().toLowerCase(Locale.ROOT);
        channelsLast = channelsLast == null || channelsLast.isBlank() ? "auto" : channelsLast.strip().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "true", "false").contains(channelsLast)) {
            throw new org.anynas.space.UserInputException("torch.channels_last must be auto, true or false, got '" + channelsLast + "'");
        }
        if (!List.of("auto", "cuda", "cpu").contains(device)) {
            throw new org.anynas.space.UserInputException("torch.device must be auto, cuda or cpu, got '" + device + "'");
        }
        if (!List.of("fp32", "bf16").contains(precision)) {
            throw new org.anynas.space.UserInputException("torch.precision must be fp32 or bf16, got '" + precision + "'");
        }
        if (trialsPerGpu < 0 || trialsPerGpu > 64) {
            throw new org.anynas.space.UserInputException("torch.trials_per_gpu must be 0 (default " + DEFAULT_TRIALS_PER_GPU
                    + ") or 1..64, got " + trialsPerGpu);
        }
        gpuIndices(gpus); // validates
    }

    public static TorchSettings defaults() {
        return new TorchSettings("", "auto", "all", 0, "fp32", "auto");
    }

    public int effectiveTrialsPerGpu() {
        return trialsPerGpu == 0 ? DEFAULT_TRIALS_PER_GPU : trialsPerGpu;
    }

    /** The GPU indices asked for, or null for all. */
    public List<Integer> gpuList() {
        return gpuIndices(gpus);
    }

    private static List<Integer> gpuIndices(String gpus) {
        if (gpus.equals("all")) return null;
        List<Integer> out = new ArrayList<>();
        for (String part : gpus.replace("[", "").replace("]", "").split(",")) {
            try {
                int i = Integer.parseInt(part.strip());
                if (i < 0) throw new NumberFormatException();
                if (!out.contains(i)) out.add(i);
            } catch (NumberFormatException e) {
                throw new org.anynas.space.UserInputException("torch.gpus must be 'all' or GPU indices like \"0,2\", got '" + gpus + "'");
            }
        }
        if (out.isEmpty()) throw new org.anynas.space.UserInputException("torch.gpus names no GPU");
        return out;
    }

    /**
     * Whether workers on CUDA ({@code cuda}) or on the CPU train channels-last (NHWC). {@code auto}: on the CPU only, where
     * the worker trained the search space's networks 1.08–1.27× faster (LeNet-5-style, few 5×5 filters, 0.42×:
     * bench/results/torch-layout-cpu-2026-12-07.md); on an H100 it was 15–18 % faster on plain and residual networks and
     * 2 % slower on inverted + SE ones (bench/results/gpu-2026-11-26.md).
     */
    public boolean channelsLast(boolean cuda) {
        return channelsLast.equals("auto") ? !cuda : channelsLast.equals("true");
    }

    /** Numerics that change scores, on CUDA or on the CPU: part of the trainer identity. */
    public String numerics(boolean cuda) {
        return precision + (channelsLast(cuda) ? " channels-last" : "");
    }
}
