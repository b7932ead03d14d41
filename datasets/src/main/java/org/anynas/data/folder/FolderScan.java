package org.anynas.data.folder;

import org.anynas.data.DatasetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The images of a folder, in a deterministic order, with their class and split: listing and stat only, no decoding.
 * Layouts, in this order: a .csv file; FOLDER/train/&lt;class&gt;/ with optional val/ (or validation/) and test/;
 * FOLDER/&lt;class&gt;/ as torchvision's ImageFolder (classes sorted by name, nested folders included).
 *
 * @param ignored hidden files and folders and files that are not images by their extension: skipped, not errors
 */
record FolderScan(List<String> classNames, List<ImageEntry> entries, int ignored, String layout) {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp");

    static FolderScan of(Path source) {
        if (!Files.exists(source)) {
            throw new DatasetException("image folder " + source + " does not exist: check the path");
        }
        if (Files.isRegularFile(source)) {
            if (source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) return CsvScan.read(source);
            throw new DatasetException(source + " is a file: give a folder of class subfolders or a .csv file");
        }
        List<Path> dirs = subfolders(source);
        Path train = named(dirs, "train");
        FolderScan scan = train != null ? splitFolders(source, dirs, train) : classFolders(source, dirs);
        if (scan.entries.isEmpty()) {
            throw new DatasetException("no images in " + source + " (looked for ." + String.join(", .", sortedExtensions())
                    + " in class subfolders): put each class's images in a subfolder named after the class");
        }
        if (scan.classNames.size() < 2) {
            throw new DatasetException("only one class (" + scan.classNames.get(0) + ") in " + source
                    + ": a classifier needs two: add a second class folder");
        }
        return scan;
    }

    private static FolderScan classFolders(Path source, List<Path> dirs) {
        Counter ignored = new Counter();
        ignored.n += countLooseFiles(source);
        List<String> classes = new ArrayList<>();
        List<ImageEntry> entries = new ArrayList<>();
        addClasses(source, dirs, "", classes, entries, ignored);
        return new FolderScan(List.copyOf(classes), List.copyOf(entries), ignored.n, "class folders");
    }

    /** Each of {@code dirs} (but hidden ones) is a training class, in order; an empty one is an error. */
    private static void addClasses(Path source, List<Path> dirs, String prefix, List<String> classes, List<ImageEntry> entries,
                                   Counter ignored) {
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (hidden(name)) {
                ignored.n++;
                continue;
            }
            List<ImageEntry> images = images(source, dir, classes.size(), FolderSplit.TRAIN, ignored);
            if (images.isEmpty()) {
                throw new DatasetException("class folder " + prefix + name + "/ in " + source
                        + " has no images: add images to it or remove it");
            }
            classes.add(name);
            entries.addAll(images);
        }
    }

    private static FolderScan splitFolders(Path source, List<Path> dirs, Path train) {
        Counter ignored = new Counter();
        ignored.n += countLooseFiles(source);
        Path val = named(dirs, "val");
        Path validation = named(dirs, "validation");
        if (val != null && validation != null) {
            throw new DatasetException(source + " has both val/ and validation/: keep one");
        }
        if (val == null) val = validation;
        Path test = named(dirs, "test");
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            if (d.equals(train) || d.equals(val) || d.equals(test)) continue;
            if (hidden(name)) {
                ignored.n++;
                continue;
            }
            throw new DatasetException(source + " has train/, so it is read as train/ val/ test/ splits, but also "
                    + name + "/: move it into train/ or out of " + source);
        }
        List<String> classes = new ArrayList<>();
        List<ImageEntry> entries = new ArrayList<>();
        ignored.n += countLooseFiles(train);
        addClasses(source, subfolders(train), "train/", classes, entries, ignored);
        if (classes.isEmpty()) {
            throw new DatasetException(train + " has no class folders: put each class's images in train/<class>/");
        }
        for (Path part : new Path[]{val, test}) {
            if (part == null) continue;
            FolderSplit split = part == test ? FolderSplit.TEST : FolderSplit.VAL;
            String partName = part.getFileName().toString();
            ignored.n += countLooseFiles(part);
            for (Path dir : subfolders(part)) {
                String name = dir.getFileName().toString();
                if (hidden(name)) {
                    ignored.n++;
                    continue;
                }
                int label = classes.indexOf(name);
                if (label < 0) {
                    throw new DatasetException(partName + "/" + name + "/ in " + source + " is not a class of train/: add train/"
                            + name + "/ or remove " + partName + "/" + name + "/");
                }
                // an empty val or test class folder is harmless: that class just has no examples there
                entries.addAll(images(source, dir, label, split, ignored));
            }
        }
        return new FolderScan(List.copyOf(classes), List.copyOf(entries), ignored.n, "train/ val/ test/ folders");
    }

    /** The images under {@code dir} at any depth, sorted by their path relative to {@code source}. */
    private static List<ImageEntry> images(Path source, Path dir, int label, FolderSplit split, Counter ignored) {
        List<ImageEntry> found = new ArrayList<>();
        String sourceText = source.toString();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(dir) && hidden(d.getFileName().toString())) {
                        ignored.n++;
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String name = f.getFileName().toString();
                    if (!attrs.isRegularFile() || hidden(name) || !isImageName(name)) {
                        ignored.n++;
                    } else {
                        found.add(new ImageEntry(f, relative(sourceText, f), label, split, attrs.size(),
                                attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    ignored.n++; // a link loop or an unreadable entry: not an image we can use
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage());
        }
        found.sort(Comparator.comparing(ImageEntry::relative));
        return found;
    }

    /** The path below {@code base} ('/'-separated): string work, as Path.relativize is slow over 100,000 files. */
    private static String relative(String base, Path file) {
        String rel = file.toString().substring(base.length() + 1);
        String sep = file.getFileSystem().getSeparator();
        return sep.equals("/") ? rel : rel.replace(sep, "/");
    }

    static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Dot files and folders (.DS_Store, .git), Thumbs.db, desktop.ini, and macOS' __MACOSX archive folders. */
    static boolean hidden(String name) {
        return name.startsWith(".") || name.equalsIgnoreCase("Thumbs.db") || name.equalsIgnoreCase("desktop.ini")
                || name.equals("__MACOSX");
    }

    /** Subfolders sorted by name with String's ordinal order, as ImageFolder sorts classes. */
    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static int countLooseFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> !Files.isDirectory(p)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path named(List<Path> dirs, String name) {
        for (Path d : dirs) if (d.getFileName().toString().equals(name)) return d;
        return null;
    }

    private static List<String> sortedExtensions() {
        return IMAGE_EXTENSIONS.stream().sorted().toList();
    }

    private static final class Counter {
        int n;
    }
}
