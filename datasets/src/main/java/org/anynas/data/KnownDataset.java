package org.anynas.data;

import org.anynas.space.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The datasets AnyNAS reads from local files, with their official mirrors and upstream checksums. */
public enum KnownDataset {
    FASHION_MNIST("fashion-mnist", Shape.of(1, 28, 28), 10, List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            List.of(new Download("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    new Download("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    new Download("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    new Download("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"))),
    MNIST("mnist", Shape.of(1, 28, 28), 10, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            List.of(new Download("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    new Download("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                    new Download("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                    new Download("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"))),
    CIFAR10("cifar-10", Cifar10Reader.SHAPE, 10, List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck"),
            "https://www.cs.toronto.edu/~kriz/",
            List.of(new Download("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530")));

    /** One file of the official mirror and its MD5 as published upstream. */
    public record Download(String file, String md5) {
    }

    private static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    private static final List<String> CIFAR_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    private static final String CIFAR_TEST = "test_batch.bin";

    private final String key;
    private final Shape shape;
    private final int classes;
    private final List<String> classNames;
    private final String mirror;
    private final List<Download> downloads;

    KnownDataset(String key, Shape shape, int classes, List<String> classNames, String mirror, List<Download> downloads) {
        this.key = key;
        this.shape = shape;
        this.classes = classes;
        this.classNames = classNames;
        this.mirror = mirror;
        this.downloads = downloads;
    }

    public String key() {
        return key;
    }

    public Shape shape() {
        return shape;
    }

    public int classes() {
        return classes;
    }

    /** The label of each class index, as the dataset's authors name them. */
    public List<String> classNames() {
        return classNames;
    }

    /** The class names of a dataset by key; label indices ("0", "1", ...) for datasets without names. */
    public static List<String> classNames(String dataset, int classes) {
        for (KnownDataset d : values()) {
            if (d.key.equals(dataset) && d.classes == classes) return d.classNames;
        }
        return java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    public String mirror() {
        return mirror;
    }

    public List<Download> downloads() {
        return downloads;
    }

    public static KnownDataset named(String name) {
        return find(name).orElseThrow(() -> new DatasetException("unknown dataset '" + name + "': choose one of "
                + String.join(", ", Arrays.stream(values()).map(KnownDataset::key).toList())));
    }

    /** The dataset a name means (case, '_' and '-' do not matter: "FashionMNIST", "fashion_mnist"), if any. */
    public static java.util.Optional<KnownDataset> find(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        for (KnownDataset d : values()) {
            if (d.key.equals(n) || d.key.replace("-", "").equals(n.replace("-", ""))) return java.util.Optional.of(d);
        }
        return java.util.Optional.empty();
    }

    /** Whether {@code dir} holds this dataset's files (raw or gzipped IDX; CIFAR batches, optionally in their folder). */
    public boolean presentIn(Path dir) {
        if (this == CIFAR10) return cifarDir(dir) != null;
        for (String f : IDX_FILES) if (idx(dir, f) == null) return false;
        return true;
    }

    /** Reads the training and test sets from a directory that {@link #presentIn} accepts: [training set, test set]. */
    public ImageSet[] read(Path dir) {
        if (this == CIFAR10) {
            Path d = cifarDir(dir);
            List<Path> train = new ArrayList<>();
            for (String f : CIFAR_TRAIN) train.add(d.resolve(f));
            return new ImageSet[]{Cifar10Reader.read(key + "/train", train),
                    Cifar10Reader.read(key + "/test", List.of(d.resolve(CIFAR_TEST)))};
        }
        return new ImageSet[]{idxSet(dir, "train", "train"), idxSet(dir, "t10k", "test")};
    }

    private ImageSet idxSet(Path dir, String prefix, String part) {
        Path imagesFile = idx(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = idx(dir, prefix + "-labels-idx1-ubyte");
        int[] dims = new int[3];
        byte[] images = IdxReader.images(imagesFile, dims);
        byte[] labels = IdxReader.labels(labelsFile);
        if (dims[1] != shape.height() || dims[2] != shape.width()) {
            throw new DatasetException(imagesFile + ": images are " + dims[1] + "×" + dims[2] + ", " + key + " has "
                    + shape.height() + "×" + shape.width());
        }
        if (dims[0] != labels.length) {
            throw new DatasetException(labelsFile + ": " + labels.length + " labels for " + dims[0] + " images in " + imagesFile);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw new DatasetException(labelsFile + ": label " + (labels[i] & 0xff) + " at index " + i
                        + " is not one of the " + classes + " classes");
            }
        }
        return new ImageSet(key + "/" + part, shape, classes, images, labels);
    }

    private static Path idx(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static Path cifarDir(Path dir) {
        for (Path d : List.of(dir, dir.resolve("cifar-10-batches-bin"))) {
            boolean all = Files.isRegularFile(d.resolve(CIFAR_TEST));
            for (String f : CIFAR_TRAIN) all &= Files.isRegularFile(d.resolve(f));
            if (all) return d;
        }
        return null;
    }
}
