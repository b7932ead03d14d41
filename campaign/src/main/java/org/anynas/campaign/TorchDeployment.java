package org.anynas.campaign;

import org.anynas.trainer.EvaluationResult;
import org.anynas.dl4j.ExportFolder;
import org.anynas.dl4j.ModelExport;
import org.anynas.dl4j.Standardisation;
import org.anynas.data.Dataset;
import org.anynas.dl4j.onnx.ModelMetadata;
import org.anynas.dl4j.onnx.TorchWeights;
import org.anynas.space.Architecture;
import org.anynas.space.Fidelity;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * model.zip and model.onnx for a network trained by PyTorch: its weights move into DL4J by op-graph node name
 * ({@link TorchWeights}), then the export is made and checked as any other, with PyTorch's own probabilities as a
 * third runtime. The only class on the torch training path that loads DL4J; {@link TorchFinalTraining} calls it only
 * when DL4J is on the class path (the GPU verification's runtime is packed without DL4J and ND4J).
 */
final class TorchDeployment {
    private TorchDeployment() {
    }

    static void write(Architecture arch, Dataset data, Fidelity fidelity, Path arrays, EvaluationResult result, double testAccuracy,
                      Path target, boolean force, String provenance, List<String> lines, ExportFolder.ModelFiles more, PrintStream o) {
        TorchWeights weights = TorchWeights.read(arrays);
        // the worker standardised with the first train_size training images, as FinalTrainer does
        Standardisation standardisation = Standardisation.of(data.train().first(fidelity.trainSize()));
        ComputationGraph net = weights.network(arch.graph());
        ModelExport.Deployable d = null;
        try {
            d = ModelExport.prepare(net, arch, ModelMetadata.of(arch, data, standardisation, result.valAccuracy(), testAccuracy),
                    data.checkImages(), weights.referenceProbabilities());
            o.println("Cross-runtime check: " + d.check().oneLine());
            TestConfusion perClass = TestConfusion.of(d, data);
            perClass.print(o);
            List<String> all = new ArrayList<>(lines);
            all.addAll(perClass.summaryLines());
            all.addAll(List.of(d.summaryLines()));
            ModelExport.write(target, d, arch, ModelExport.summary(arch, fidelity, data.name(), result, provenance,
                    all.toArray(String[]::new)), force, perClass.files(more));
        } finally {
            if (d != null) d.dl4j().clear();
            net.clear();
        }
    }
}
