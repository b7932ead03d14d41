package org.anynas.dl4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An exported {@code model.onnx} loaded in ONNX Runtime: images in (float32 NCHW, pixel / 255), class
 * probabilities out. Loading is ONNX Runtime's own check of the graph (types, shapes, operators of the opset).
 */
public final class OnnxRuntimeModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;

    private OnnxRuntimeModel(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
        this.input = session.getInputNames().iterator().next();
    }

    /** Loads a serialised model; throws {@link OnnxModelException} saying why ONNX Runtime refused it. */
    public static OnnxRuntimeModel of(byte[] model) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            return new OnnxRuntimeModel(env, env.createSession(model, options()));
        } catch (OrtException e) {
            throw new OnnxModelException("ONNX Runtime cannot load the model: " + e.getMessage());
        }
    }

    public static OnnxRuntimeModel of(Path file) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            return new OnnxRuntimeModel(env, env.createSession(file.toString(), options()));
        } catch (OrtException e) {
            throw new OnnxModelException("ONNX Runtime cannot load " + file + ": " + e.getMessage());
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        return o;
    }

    /** ONNX Runtime's version, e.g. "1.29.0". */
    public static String runtimeVersion() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** Probabilities [n][classes] for {@code n} images given as one NCHW float array. */
    public float[][] probabilities(float[] images, long n, long channels, long height, long width) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[]{n, channels, height, width});
             OrtSession.Result r = session.run(Map.of(input, x))) {
            return (float[][]) r.get(0).getValue();
        } catch (OrtException e) {
            throw new OnnxModelException("ONNX Runtime failed to run the model: " + e.getMessage());
        }
    }

    /** The model's metadata_props. */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new OnnxModelException("cannot read the model's metadata: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxModelException("cannot close the ONNX Runtime session: " + e.getMessage());
        }
    }

    /** A model ONNX Runtime refuses or cannot run; the message says why. */
    public static final class OnnxModelException extends RuntimeException {
        public OnnxModelException(String message) {
            super(message);
        }
    }
}
