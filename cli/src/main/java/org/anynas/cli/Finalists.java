package org.anynas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.campaign.FinalRun;
import org.anynas.db.RankedCandidate;
import org.anynas.space.Architecture;
import org.anynas.space.ArchitectureJson;
import org.anynas.space.AtomicFile;
import org.anynas.space.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./nas train --finalists K}: the folder of one finalists run. Each finalist network trains in
 * {@code net-<hash>/} ({@link SeedRuns} folders, so a network that two runs share, two campaigns' finalists with one
 * recipe, is trained once); the choice is the finalist whose first seed has the highest validation accuracy (ties: the
 * better search rank), and {@code finalists[-<campaign>].json} / {@code .txt} record it once it is made.
 */
public final class Finalists {
    /** One finalist as the choice reads it: search rank order, candidate, network, search score, first seed's training. */
    public record Finalist(long candidate, String hash, long params, double searchValAcc, int searchEpochs, String folder,
                           double valAcc, int bestEpoch) {
    }

    /** A finalists run as its record says: the campaign (null: the whole database), the finalists, the chosen index. */
    public record Choice(String campaign, long firstSeed, List<Finalist> finalists, int chosen, Architecture arch) {
        public Finalist chosenOne() {
            return finalists.get(chosen);
        }
    }

    private final Path dir;
    private final String campaign;
    private final List<RankedCandidate> top;
    private final long firstSeed;

    private Finalists(Path dir, String campaign, List<RankedCandidate> top, long firstSeed) {
        this.dir = dir;
        this.campaign = campaign;
        this.top = top;
        this.firstSeed = firstSeed;
    }

    static Finalists of(Path dir, String campaign, List<RankedCandidate> top, long firstSeed) {
        return new Finalists(dir.toAbsolutePath().normalize(), campaign, List.copyOf(top), firstSeed);
    }

    /** Fails before training when --out holds anything but finalists' folders and records (unless --force). */
    static void checkTarget(Path out, boolean force) {
        SeedRuns.checkTarget(out, force, "net-[0-9a-f]{12}|finalists(-[A-Za-z0-9._-]+)?\\.(json|txt)", "a --finalists run");
    }

    /** The folder of a network, by its hash: the same network is the same folder whichever campaign ranked it. */
    public static String folderName(String hash) {
        return "net-" + hash.substring(0, 12);
    }

    Path folder(int i) {
        return dir.resolve(folderName(top.get(i).archHash()));
    }

    /** The record's name: {@code finalists.json} for the whole database, else per campaign. */
    private static String recordName(String campaign) {
        return campaign == null ? "finalists" : "finalists-" + campaign.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    String summaryName() {
        return recordName(campaign) + ".txt";
    }

    /** The finalists with their first seed's training, in search rank order; every first seed must have finished. */
    private List<Finalist> finalists() {
        List<Finalist> out = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            RankedCandidate t = top.get(i);
            FinalRun r = SeedRuns.finished(folder(i).resolve("seed-" + firstSeed)).orElseThrow(
                    () -> new IllegalStateException("finalist " + t.candidateId() + " has no finished first seed"));
            out.add(new Finalist(t.candidateId(), t.archHash(), t.params(), t.valAcc(), t.rungEpochs(),
                    folderName(t.archHash()), r.valAccuracy(), r.bestEpoch()));
        }
        return out;
    }

    /** The index of the finalist with the highest validation accuracy of its first seed; ties go to the better search rank. */
    int choose() {
        return choose(finalists());
    }

    private static int choose(List<Finalist> fs) {
        int best = 0;
        for (int i = 1; i < fs.size(); i++) if (fs.get(i).valAcc() > fs.get(best).valAcc()) best = i;
        return best;
    }

    /** The choice as a table of lines: search rank, candidate, params, search score, full-training validation accuracy. */
    List<String> table() {
        return table(finalists());
    }

    private List<String> table(List<Finalist> fs) {
        int chosen = choose(fs);
        Table t = new Table("rank", "candidate", "params", "search val_acc", "val_acc", "best epoch", "");
        for (int i = 0; i < fs.size(); i++) {
            Finalist f = fs.get(i);
            t.row(i + 1, f.candidate(), f.params(), String.format(Locale.ROOT, "%.4f (%d ep)", f.searchValAcc(), f.searchEpochs()),
                    String.format(Locale.ROOT, "%.4f", f.valAcc()), f.bestEpoch(), i == chosen ? "<- chosen" : "");
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Finalists by full training (seed %d; val_acc at the best epoch, on the validation "
                + "hold-out; the test set chose nothing):", firstSeed));
        lines.addAll(t.lines());
        return lines;
    }

    /** Test accuracies of the chosen network's finished seeds among the first {@code count}. */
    List<Double> chosenTest(int count) {
        return test(choose(), count);
    }

    /** Test accuracies of finalist {@code i}'s finished seeds among the first {@code count}. */
    private List<Double> test(int i, int count) {
        Path f = folder(i);
        List<Double> out = new ArrayList<>();
        for (long s = firstSeed; s < firstSeed + count; s++) {
            SeedRuns.finished(f.resolve("seed-" + s)).ifPresent(r -> out.add(r.testAccuracy()));
        }
        return out;
    }

    /** Writes the record of the choice (JSON for programs, text for people), each atomically. */
    void write(Architecture chosenArch, int seeds) {
        List<Finalist> fs = finalists();
        int chosen = choose(fs);
        ObjectNode m = Json.json().createObjectNode();
        m.put("campaign", campaign).put("first_seed", firstSeed).put("seeds", seeds).put("chosen", chosen);
        ArrayNode list = m.putArray("finalists");
        for (Finalist f : fs) {
            list.addObject().put("candidate", f.candidate()).put("hash", f.hash()).put("params", f.params())
                    .put("search_val_acc", f.searchValAcc()).put("search_epochs", f.searchEpochs()).put("folder", f.folder())
                    .put("val_acc", f.valAcc()).put("best_epoch", f.bestEpoch());
        }
        m.put("architecture", ArchitectureJson.write(chosenArch));
        AtomicFile.write(dir.resolve(recordName(campaign) + ".json"), m.toPrettyString() + "\n");
        // written when the choice is made and again when the chosen network's seeds are done: the test line counts them
        StringBuilder sb = new StringBuilder("AnyNAS finalists\n================\n");
        sb.append("from:    ").append(campaign != null ? "campaign " + campaign : "every campaign of the database").append('\n');
        sb.append("chosen:  ").append(chosenArch.oneLine()).append(" (candidate ").append(fs.get(chosen).candidate())
                .append(", folder ").append(fs.get(chosen).folder()).append("/)\n\n");
        table(fs).forEach(l -> sb.append(l).append('\n'));
        List<Double> test = test(chosen, seeds);
        double[] ms = SeedRuns.meanSd(test.stream().mapToDouble(Double::doubleValue).toArray());
        sb.append('\n').append(String.format(Locale.ROOT, "test_acc of the chosen network over %d of %d seed%s: %.4f%s%n",
                test.size(), seeds, seeds == 1 ? "" : "s", ms[0], test.size() > 1 ? String.format(Locale.ROOT, " ± %.4f (mean ± sample sd)", ms[1]) : ""));
        AtomicFile.write(dir.resolve(summaryName()), sb.toString());
    }

    /** Removes the record of an earlier choice ({@code --force}). */
    void forget() {
        for (String ext : List.of(".json", ".txt")) {
            try {
                Files.deleteIfExists(dir.resolve(recordName(campaign) + ext));
            } catch (IOException e) {
                throw new UserError("cannot remove " + dir.resolve(recordName(campaign) + ext) + ": " + e.getMessage());
            }
        }
    }

    /** The record a choice left in {@code dir} for {@code campaign} (null: the whole database), if any. */
    public static Optional<Choice> read(Path dir, String campaign) {
        Path file = dir.resolve(recordName(campaign) + ".json");
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode m = Json.json().readTree(file.toFile());
            List<Finalist> fs = new ArrayList<>();
            for (JsonNode f : m.path("finalists")) {
                fs.add(new Finalist(f.path("candidate").asLong(), f.path("hash").asText(), f.path("params").asLong(),
                        f.path("search_val_acc").asDouble(), f.path("search_epochs").asInt(), f.path("folder").asText(),
                        f.path("val_acc").asDouble(), f.path("best_epoch").asInt()));
            }
            return Optional.of(new Choice(campaign, m.path("first_seed").asLong(), fs, m.path("chosen").asInt(),
                    ArchitectureJson.read(m.path("architecture").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: the choice is made again from the seed folders
        }
    }
}
