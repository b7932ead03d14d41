package org.anynas.bench;

import org.anynas.space.FileTree;
import org.anynas.db.RankedCandidate;
import org.anynas.db.ResultsStore;
import org.anynas.data.Dataset;
import org.anynas.campaign.CampaignConfig;
import org.anynas.data.DatasetLocator;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.data.ImageSet;
import org.anynas.data.KnownDataset;
import org.anynas.data.folder.FolderData;
import org.anynas.data.folder.FolderDataset;
import org.anynas.data.folder.Progress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Your own images at scale: Fashion-MNIST written out as 70,000 PNG files with a CSV in the IDX files' order, then
 * (1) the first decode's speed, (2) a cached open, (3) the folder path against the built-in one image by image, and
 * (4) the same quickstart campaign three times, each in its own process — on the folder with an empty cache, on the
 * folder again (cached), and on the IDX files — timing each to its first trained candidate and comparing the scores.
 */
public final class FolderBench {
    private FolderBench() {
    }

    /** @param evaluations candidates per campaign; {@code java} and {@code classPath} start the campaign processes */
    public record Settings(Path dataDir, Path work, int evaluations, String java, String classPath) {
    }

    /** One campaign process: seconds to its first trained candidate and in all, and its ranking (hash → val_acc). */
    public record Arm(String name, double firstCandidateSeconds, double totalSeconds, List<String> ranking) {
    }

    public record Result(int images, double writeSeconds, double coldDecodeSeconds, double cachedOpenSeconds,
                         double idxReadSeconds, boolean pageCacheDropped, boolean identical, String firstDifference,
                         List<Arm> arms) {
        public double decodeRate() {
            return images / coldDecodeSeconds;
        }
    }

    public static Result run(Settings s, PrintStream out) {
        try {
            Path fashion = DatasetLocator.standard().locate(KnownDataset.FASHION_MNIST, s.dataDir());
            long t0 = System.nanoTime();
            ImageSet[] idx = KnownDataset.FASHION_MNIST.read(fashion);
            double idxRead = (System.nanoTime() - t0) / 1e9;
            int images = idx[0].size() + idx[1].size();
            Path folder = s.work().resolve("fashion-png");
            Path csv = folder.resolve("images.csv");
            double write = 0;
            if (!Files.isRegularFile(csv)) {
                out.printf("writing %,d PNG files to %s ...%n", images, folder);
                t0 = System.nanoTime();
                ImagesAsFiles.write(folder, idx[0], idx[1]);
                write = (System.nanoTime() - t0) / 1e9;
            }
            Path cache = s.work().resolve("folder-cache");
            FileTree.delete(cache);
            boolean dropped = dropPageCache();
            out.printf("first decode of %,d images (page cache %s) ...%n", images, dropped ? "dropped" : "not dropped: not root");
            t0 = System.nanoTime();
            FolderData.open(ImageOptions.DEFAULTS.spec(csv), cache.resolve("images"), Progress.NONE);
            double cold = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            FolderDataset again = FolderData.open(ImageOptions.DEFAULTS.spec(csv), cache.resolve("images"), Progress.NONE);
            double cached = (System.nanoTime() - t0) / 1e9;
            if (!again.report().cacheHit()) throw new IllegalStateException("the second open decoded again");
            out.printf(Locale.ROOT, "decoded in %.1f s (%,.0f images/s); cached open %.2f s%n", cold, images / cold, cached);

            System.setProperty("anynas.cache", cache.toString());
            Dataset builtIn = Datasets.load("fashion-mnist", s.dataDir(), 0, 1);
            Dataset fromFolder = Datasets.load(csv.toString(), null, ImageOptions.DEFAULTS, 0, 1, Progress.NONE);
            System.clearProperty("anynas.cache");
            String difference = difference(builtIn, fromFolder);
            out.println(difference == null ? "the folder's train/validation/test equal the built-in ones, image by image"
                    : "DIFFERENT: " + difference);

            List<Arm> arms = new ArrayList<>();
            FileTree.delete(cache);
            arms.add(campaign(s, "folder-cold", csv, cache, out));
            arms.add(campaign(s, "folder-cached", csv, cache, out));
            arms.add(campaign(s, "idx", null, cache, out));
            return new Result(images, write, cold, cached, idxRead, dropped, difference == null, difference, arms);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null when every part has the same labels and pixels in the same order, else where they first differ. */
    static String difference(Dataset a, Dataset b) {
        ImageSet[][] parts = {{a.train(), b.train()}, {a.validation(), b.validation()}, {a.test(), b.test()}};
        String[] names = {"train", "validation", "test"};
        for (int p = 0; p < parts.length; p++) {
            ImageSet x = parts[p][0];
            ImageSet y = parts[p][1];
            if (x.size() != y.size()) return names[p] + ": " + x.size() + " vs " + y.size() + " images";
            if (!Arrays.equals(x.labels(), y.labels())) return names[p] + ": labels differ";
            byte[] px = new byte[x.imageBytes()];
            byte[] py = new byte[y.imageBytes()];
            for (int i = 0; i < x.size(); i++) {
                x.copyImage(i, px, 0);
                y.copyImage(i, py, 0);
                if (!Arrays.equals(px, py)) return names[p] + ": image " + i + " differs";
            }
        }
        return null;
    }

    /** The quickstart campaign in its own JVM (as a user runs it), timed from the process start to its first candidate. */
    private static Arm campaign(Settings s, String name, Path images, Path cache, PrintStream out) throws IOException {
        Path dir = s.work().resolve("folder-bench-" + name);
        FileTree.delete(dir);
        Files.createDirectories(dir);
        Path yaml = dir.resolve(name + ".yaml");
        // the quickstart campaign as the other benchmarks make it, written out whole for the campaign's own process
        CampaignConfig config = CampaignConfig.quickstart(new BenchData(s.dataDir(), images).yaml() + "name: " + name
                + "\ndb: \"" + dir.resolve("db") + "\"\nstop:\n  max_evaluations: " + s.evaluations() + "\n", "folder benchmark");
        Files.writeString(yaml, config.toYaml());
        String dataset = config.dataset();
        ProcessBuilder pb = new ProcessBuilder(s.java(), "-cp", s.classPath(), "org.anynas.cli.Main", "search", yaml.toString())
                .redirectErrorStream(true);
        pb.environment().put("ANYNAS_CACHE", cache.toString());
        out.printf("campaign %s (%s) ...%n", name, dataset);
        long start = System.nanoTime();
        double first = Double.NaN;
        Process p = pb.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (Double.isNaN(first) && line.contains(" 1/" + s.evaluations() + " ")) {
                    first = (System.nanoTime() - start) / 1e9;
                    out.printf(Locale.ROOT, "  first candidate after %.1f s%n", first);
                }
            }
        }
        int rc;
        try {
            rc = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double total = (System.nanoTime() - start) / 1e9;
        if (rc != 0) throw new IllegalStateException("campaign " + name + " exited " + rc + "; see " + dir);
        List<String> ranking = new ArrayList<>();
        try (ResultsStore store = ResultsStore.openExisting(dir.resolve("db"))) {
            for (RankedCandidate c : store.top(s.evaluations(), name, "val_acc")) {
                ranking.add(c.archHash().substring(0, 8) + " " + String.format(Locale.ROOT, "%.4f", c.valAcc()));
            }
        }
        return new Arm(name, first, total, ranking);
    }

    private static boolean dropPageCache() {
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    public static MarkdownReport report(Result r, String command, Machine machine) {
        MarkdownReport md = MarkdownReport.of("Your own images at scale: Fashion-MNIST as 70,000 PNG files", command, machine);
        md.paragraph("Fashion-MNIST written out as one PNG per image (`bench/.../ImagesAsFiles`) with `images.csv` "
                + "(`path,label,split`, the IDX files' order, the class index as label), read as a dataset with the default "
                + "`images:` settings. Each campaign is the quickstart's (evolution over `anynet`, 3 epochs on 4,000 images, "
                + "seed 1) in its own JVM, timed from the process start, so JVM start and class loading are in every arm.");
        md.table(List.of("step", "time", "rate"), List.of(
                List.of("write 70,000 PNG files (once; not part of a campaign)", r.writeSeconds() > 0 ? secs(r.writeSeconds()) : "(existing)", ""),
                List.of("first decode into the cache" + (r.pageCacheDropped() ? " (page cache dropped first)" : " (files in the page cache)"),
                        secs(r.coldDecodeSeconds()), String.format(Locale.ROOT, "%,.0f images/s", r.decodeRate())),
                List.of("cached open (list + stat 70,000 files, map the cache)", secs(r.cachedOpenSeconds()), ""),
                List.of("built-in path: read the four IDX files", secs(r.idxReadSeconds()), "")));
        md.paragraph("Folder against built-in, same seed (1) and split rule: " + (r.identical()
                ? "train, validation and test parts are identical, labels and pixels image by image."
                : "they DIFFER: " + r.firstDifference()));
        List<List<String>> rows = new ArrayList<>();
        for (Arm a : r.arms()) {
            rows.add(List.of(a.name(), secs(a.firstCandidateSeconds()), secs(a.totalSeconds()), String.join("; ", a.ranking())));
        }
        md.table(List.of("campaign", "to first trained candidate", "whole campaign", "ranking (hash val_acc)"), rows);
        Arm cold = r.arms().get(0);
        Arm cached = r.arms().get(1);
        Arm idx = r.arms().get(2);
        boolean same = cold.ranking().equals(idx.ranking()) && cached.ranking().equals(idx.ranking());
        md.paragraph(String.format(Locale.ROOT, "Scores: %s. Targets: first decode under 60 s (%s: %.1f s); a cached start "
                        + "under 2 s more than the IDX path's (%s: %+.1f s to the first candidate).",
                same ? "the three campaigns propose the same candidates and give them identical scores"
                        : "the campaigns DIFFER", r.coldDecodeSeconds() < 60 ? "met" : "missed", r.coldDecodeSeconds(),
                cached.firstCandidateSeconds() - idx.firstCandidateSeconds() < 2 ? "met" : "missed",
                cached.firstCandidateSeconds() - idx.firstCandidateSeconds()));
        return md;
    }

    private static String secs(double s) {
        return Double.isNaN(s) ? "–" : String.format(Locale.ROOT, "%.1f s", s);
    }
}
