package org.anynas.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "predict", description = "Classify images with an exported model: the class and its probability for each "
        + "PNG or JPEG image (grey or colour, converted to the model's input; resized by area averaging when shrinking, "
        + "bilinear when enlarging).")
final class PredictCommand implements Callable<Integer> {
    private static final int BATCH = 256;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "An export folder (./nas export or ./nas train).")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Image files, or folders whose PNG/JPEG files are all classified.")
    List<Path> inputs;

    @Option(names = "--runtime", defaultValue = "onnx", description = "onnx (model.onnx in ONNX Runtime) or dl4j (model.zip) (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        Table.Format f = format();
        ExportedModel.Runtime r = ExportedModel.runtime(runtime);
        List<Path> files = images(inputs);
        try (ExportedModel m = ExportedModel.load(model, r)) {
            int per = (int) m.input().elements();
            Table t = new Table("image", "class", "index", "probability");
            for (int from = 0; from < files.size(); from += BATCH) { // bounded memory for large folders
                int n = Math.min(BATCH, files.size() - from);
                float[] batch = new float[n * per];
                for (int i = 0; i < n; i++) System.arraycopy(ImageInput.read(files.get(from + i), m.input()), 0, batch, i * per, per);
                float[][] p = m.probabilities(batch, n);
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < p[i].length; c++) if (p[i][c] > p[i][best]) best = c;
                    t.row(files.get(from + i), m.classNames().get(best), best, String.format(Locale.ROOT, "%.4f", p[i][best]));
                }
            }
            t.print(System.out, f);
        }
        return 0;
    }

    private Table.Format format() {
        try {
            return Table.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--format must be table, csv or json, got '" + format + "'");
        }
    }

    /** Files as given; folders expanded to their PNG and JPEG files, sorted by name. */
    static List<Path> images(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    List<Path> found = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                            .filter(Files::isRegularFile).sorted().toList();
                    if (found.isEmpty()) throw new UserError("no PNG or JPEG images in " + in);
                    files.addAll(found);
                } catch (IOException e) {
                    throw new UserError("cannot list " + in + ": " + e.getMessage());
                }
            } else if (!Files.isRegularFile(in)) {
                throw new UserError("no image file " + in);
            } else {
                files.add(in);
            }
        }
        return files;
    }
}
