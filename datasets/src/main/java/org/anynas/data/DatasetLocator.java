package org.anynas.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a dataset's files: explicit directory → {@code $ANYNAS_DATA/<name>} → {@code ~/.cache/anynas/<name>} →
 * {@code /usr/share/datasets/<name>} → download from the official mirror into the cache, checksum-verified →
 * Debian's package, where there is one and this process may install it ({@link AptInstaller}). When all fail,
 * one message lists every place looked and how to provide the data.
 */
public final class DatasetLocator {
    private final Map<String, String> env;
    private final Path home;
    private final Path system;
    private final boolean allowDownload;
    private final AptInstaller apt; // null: never install packages

    private DatasetLocator(Map<String, String> env, Path home, Path system, boolean allowDownload, AptInstaller apt) {
        this.env = env;
        this.home = home;
        this.system = system;
        this.allowDownload = allowDownload;
        this.apt = apt;
    }

    public static DatasetLocator standard() {
        return new DatasetLocator(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("/usr/share/datasets"), true, AptInstaller.system());
    }

    /** For tests: a fake environment, home and system directory, optionally without network; never installs. */
    public static DatasetLocator of(Map<String, String> env, Path home, Path system, boolean allowDownload) {
        return new DatasetLocator(env, home, system, allowDownload, null);
    }

    /** For tests: as {@link #of(Map, Path, Path, boolean)}, with package installation through {@code apt}. */
    public static DatasetLocator of(Map<String, String> env, Path home, Path system, boolean allowDownload, AptInstaller apt) {
        return new DatasetLocator(env, home, system, allowDownload, apt);
    }

    /** The places looked at, in order, for an optional explicit directory. */
    public List<Path> candidates(KnownDataset dataset, Path explicitDir) {
        List<Path> places = new ArrayList<>();
        if (explicitDir != null) {
            places.add(explicitDir);
            places.add(explicitDir.resolve(dataset.key()));
        }
        String data = env.get("ANYNAS_DATA");
        if (data != null && !data.isBlank()) places.add(Path.of(data).resolve(dataset.key()));
        places.add(cacheDir(dataset));
        places.add(system.resolve(dataset.key()));
        return places;
    }

    public Path cacheDir(KnownDataset dataset) {
        return home.resolve(".cache").resolve("anynas").resolve(dataset.key());
    }

    public Path locate(KnownDataset dataset, Path explicitDir) {
        if (explicitDir != null && !Files.isDirectory(explicitDir)) {
            throw new DatasetException("--data-dir " + explicitDir + " is not a directory");
        }
        List<Path> places = candidates(dataset, explicitDir);
        for (Path p : places) {
            if (Files.isDirectory(p) && dataset.presentIn(p)) return p;
        }
        String downloadProblem = "download disabled";
        if (allowDownload && (explicitDir == null)) {
            try {
                Path dir = Downloader.fetch(dataset, env.getOrDefault("ANYNAS_MIRROR", dataset.mirror()), cacheDir(dataset));
                if (dataset.presentIn(dir)) return dir;
                downloadProblem = "downloaded files are incomplete";
            } catch (DatasetException e) {
                downloadProblem = e.getMessage();
            }
        } else if (explicitDir != null) {
            downloadProblem = "not tried because --data-dir was given";
        }
        String aptProblem = null;
        if (allowDownload && explicitDir == null && apt != null && AptInstaller.debianPackage(dataset).isPresent()) {
            AptInstaller.Plan plan = apt.plan(dataset);
            aptProblem = plan.possible() ? apt.install(dataset, plan) : plan.whyNot();
            if (aptProblem == null) {
                for (Path p : places) {
                    if (Files.isDirectory(p) && dataset.presentIn(p)) return p;
                }
                aptProblem = plan.pkg() + " is installed but " + system.resolve(dataset.key()) + " has no " + dataset.key();
            }
        }
        StringBuilder msg = new StringBuilder("dataset " + dataset.key() + " not found; looked in ");
        for (int i = 0; i < places.size(); i++) msg.append(i == 0 ? "" : ", ").append(places.get(i));
        msg.append("; download from ").append(dataset.mirror()).append(": ").append(downloadProblem)
                .append(". Provide it with --data-dir DIR, by setting ANYNAS_DATA=DIR (files in DIR/").append(dataset.key())
                .append("), by copying the files to ").append(cacheDir(dataset));
        if (aptProblem != null) msg.append("; Debian's package: ").append(aptProblem);
        AptInstaller.debianPackage(dataset).ifPresent(pkg -> msg.append(", or with: sudo apt-get install ").append(pkg));
        return failWith(msg.toString());
    }

    private static Path failWith(String message) {
        throw new DatasetException(message);
    }
}
