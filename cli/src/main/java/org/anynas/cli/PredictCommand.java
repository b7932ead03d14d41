package org.anynas.cli;

import org.anynas.trainer.Confusion;
import org.anynas.data.DatasetException;
import org.anynas.data.folder.ImageFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "predict", description = "Classify images with an exported model: the class and its probability for each "
        + "image (PNG, JPEG, BMP, GIF, TIFF, WebP; any size and colour, turned into the model's input by the model's own resize "
        + "and channel rule). A folder of class folders (or train/ val/ test/), or a CSV of path,label, is labelled: "
        + "accuracy, per-class accuracy and the confusion matrix follow.")
final class PredictCommand implements Callable<Integer> {
    private static final int BATCH = 256;
    /** A labelled input lists its images one by one up to this many in the table format; CSV and JSON list them all. */
    private static final int LISTED = 50;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "An export folder (./nas export or ./nas train).")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR|CSV", description = "Image files; folders (their images at any depth; "
            + "class folders make them labelled); or a CSV of path,label[,split].")
    List<Path> inputs;

    @Option(names = "--runtime", defaultValue = "onnx", description = "onnx (model.onnx in ONNX Runtime) or dl4j (model.zip) (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}); with csv "
            + "and json the scores of a labelled input go to stderr, so stdout stays one table.")
    String format;

    /** An image to classify, its true class in the model's classes (-1: unlabelled), and whether it was named itself. */
    private record Item(Path file, int truth, boolean named) {
    }

    @Override
    public Integer call() {
        Table.Format f = format();
        ExportedModel.Runtime r = ExportedModel.runtime(runtime);
        try (ExportedModel m = ExportedModel.load(model, r)) {
            List<Item> items = items(inputs, m.classNames());
            boolean labelled = items.stream().anyMatch(i -> i.truth() >= 0);
            int per = (int) m.input().elements();
            Table t = labelled ? new Table("image", "class", "index", "probability", "label", "correct")
                    : new Table("image", "class", "index", "probability");
            Confusion confusion = Confusion.of(m.classNames().size());
            List<String> unreadable = new ArrayList<>();
            for (int from = 0; from < items.size(); from += BATCH) { // bounded memory for large folders
                int end = Math.min(items.size(), from + BATCH);
                List<Item> read = new ArrayList<>();
                float[] batch = new float[(end - from) * per];
                for (int k = from; k < end; k++) {
                    byte[] px;
                    try {
                        px = ImageFiles.read(items.get(k).file(), m.input(), m.rule());
                    } catch (DatasetException e) {
                        // a file named on the command line is the user's error; one found in a folder is reported, not fatal
                        if (items.get(k).named()) throw new UserError(e.getMessage());
                        unreadable.add(e.getMessage());
                        continue;
                    }
                    for (int j = 0; j < per; j++) batch[read.size() * per + j] = (px[j] & 0xff) / 255f;
                    read.add(items.get(k));
                }
                if (read.isEmpty()) continue;
                int n = read.size();
                float[][] p = m.probabilities(java.util.Arrays.copyOf(batch, n * per), n);
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < p[i].length; c++) if (p[i][c] > p[i][best]) best = c;
                    Item item = read.get(i);
                    String prob = String.format(Locale.ROOT, "%.4f", p[i][best]);
                    if (labelled) {
                        if (item.truth() >= 0) confusion.add(item.truth(), best);
                        t.row(item.file(), m.classNames().get(best), best, prob,
                                item.truth() < 0 ? "" : m.classNames().get(item.truth()), item.truth() < 0 ? "" : best == item.truth());
                    } else {
                        t.row(item.file(), m.classNames().get(best), best, prob);
                    }
                }
            }
            if (!unreadable.isEmpty()) {
                System.err.printf(Locale.ROOT, "%,d unreadable image%s skipped, first: %s%n", unreadable.size(),
                        unreadable.size() == 1 ? "" : "s", unreadable.get(0));
            }
            if (!labelled) {
                t.print(System.out, f);
                return 0;
            }
            boolean table = f == Table.Format.TABLE;
            if (!table || items.size() <= LISTED) t.print(System.out, f);
            PrintStream scores = table ? System.out : System.err;
            if (table && items.size() > LISTED) {
                scores.printf(Locale.ROOT, "%,d labelled images classified (one row each with --format csv)%n", confusion.total());
            } else if (table) {
                scores.println();
            }
            scores.println(confusion.oneLine());
            scores.print(confusion.render(m.classNames()));
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

    /**
     * The images to classify: files as given; a CSV, or a folder whose class folders are all classes of the model,
     * read as a dataset would be (labelled); any other folder walked for images at any depth, sorted (unlabelled).
     */
    static List<Item> items(List<Path> inputs, List<String> classes) {
        List<Item> items = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in) ? labelledFolder(in, classes) : in.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                items.addAll(labelled(in, classes));
            } else if (Files.isDirectory(in)) {
                List<Path> found = walk(in);
                if (found.isEmpty()) throw new UserError("no images in " + in + " (nor in its subfolders)");
                for (Path p : found) items.add(new Item(p, -1, false));
            } else if (!Files.isRegularFile(in)) {
                throw new UserError("no image file " + in);
            } else {
                items.add(new Item(in, -1, true));
            }
        }
        return items;
    }

    /** Every class folder (or train/ val/ test/ part) is named after a class of the model. */
    private static boolean labelledFolder(Path dir, List<String> classes) {
        Set<String> names = new HashSet<>();
        for (Path sub : subfolders(dir)) names.add(sub.getFileName().toString());
        if (names.isEmpty()) return false;
        if (names.contains("train") || names.contains("test") || names.contains("val") || names.contains("validation")) {
            for (String part : names) {
                for (Path sub : subfolders(dir.resolve(part))) if (!classes.contains(sub.getFileName().toString())) return false;
            }
            return true;
        }
        return classes.containsAll(names);
    }

    private static List<Item> labelled(Path source, List<String> classes) {
        ImageFiles.Labelled l;
        try {
            l = ImageFiles.labelled(source);
        } catch (DatasetException e) {
            throw new UserError(e.getMessage());
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < l.files().size(); i++) {
            String name = l.classNames().get(l.labels().get(i));
            int truth = classes.indexOf(name);
            if (truth < 0) {
                throw new UserError("label '" + name + "' in " + source + " is not one of the model's classes (" + String.join(", ", classes)
                        + "): name the class folders (or CSV labels) as the model's classes");
            }
            items.add(new Item(l.files().get(i), truth, false));
        }
        return items;
    }

    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(ImageFiles::isImage)
                    .filter(p -> !dir.relativize(p).toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
    }
}
