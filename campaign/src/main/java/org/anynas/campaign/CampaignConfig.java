package org.anynas.campaign;

import org.anynas.search.Ladder;
import org.anynas.search.Objective;
import org.anynas.search.SearchSettings;
import org.anynas.search.StopCriteria;
import org.anynas.search.Strategy;
import org.anynas.space.UserInputException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.data.ImageOptions;
import org.anynas.torch.TorchSettings;
import org.anynas.space.Budget;
import org.anynas.space.Fidelity;
import org.anynas.space.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A campaign file: what to search (dataset, space, budgets), how (strategy and its parameters, fidelity,
 * seed, workers, training backend), when to stop and where to store results. Every key has a default; unknown keys, wrong
 * types and out-of-range values are rejected up front with one line naming the key.
 */
public record CampaignConfig(String name, String dataset, String dataDir, ImageOptions images, String space, Strategy strategy,
                             Objective objective, int population, double offspringFraction, int tournament, int maxAge, double mutationRate,
                             double crossoverRate, int validationSize, long seed, int workers, String db, boolean cache,
                             double candidateTimeLimitMinutes, Budget budget, StopCriteria stop, Fidelity fidelity,
                             String backend, TorchSettings torch, int inFlight, Ladder multiFidelity, String executor,
                             FinalTraining finalTraining) {

    public CampaignConfig {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new UserInputException("name must be 1–100 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (dataset == null || dataset.isBlank()) throw new UserInputException("dataset is missing");
        dataset = Datasets.canonical(dataset); // a folder is stored as an absolute path
        if (space == null || space.isBlank()) throw new UserInputException("space is missing");
        int cores = Runtime.getRuntime().availableProcessors();
        if (workers < 0 || workers > cores) {
            throw new UserInputException("workers must be 0 (sized to the machine) or 1.." + cores + " on this machine, got " + workers);
        }
        if (backend == null || backend.isBlank()) backend = "auto";
        Backend.parse(backend); // validates
        if (torch == null) torch = TorchSettings.defaults();
        if (validationSize < 0) throw new UserInputException("validation_size must be >= 1 (or 0 for the default), got " + validationSize);
        if (images == null) images = ImageOptions.DEFAULTS;
        if (!(candidateTimeLimitMinutes > 0)) {
            throw new UserInputException("candidate_time_limit_minutes must be > 0, got " + candidateTimeLimitMinutes);
        }
        if (validationSize > 0 && fidelity.valSize() > validationSize) {
            throw new UserInputException("fidelity.val_size " + fidelity.valSize() + " exceeds validation_size " + validationSize);
        }
        if (multiFidelity == null) multiFidelity = Ladder.none(fidelity.epochs());
        if (multiFidelity.enabled()) {
            if (multiFidelity.maxEpochs() > 0 && multiFidelity.maxEpochs() != fidelity.epochs()) {
                throw new UserInputException("multi_fidelity.max_epochs " + multiFidelity.maxEpochs() + " differs from fidelity.epochs "
                        + fidelity.epochs() + ": the top rung trains the fidelity's epochs; set them equal (or max_epochs: 0)");
            }
            if (multiFidelity.minEpochs() >= fidelity.epochs()) {
                throw new UserInputException("multi_fidelity.min_epochs " + multiFidelity.minEpochs() + " must be below fidelity.epochs "
                        + fidelity.epochs() + " (the top rung)");
            }
            if (strategy == Strategy.NSGA2) {
                throw new UserInputException("multi_fidelity works with strategy evolution or random, not nsga2: set min_epochs: 0");
            }
        }
        if (executor == null || executor.isBlank()) executor = "local";
        if (finalTraining == null) throw new UserInputException("final_training is missing");
        if (!executor.equals("local") && !executor.equals("spark")) {
            throw new UserInputException("executor must be local or spark, got '" + executor + "'");
        }
        if (executor.equals("spark")) {
            // checkpoints of a rung stay on the executor that trained it; the next rung may run anywhere
            if (multiFidelity.enabled()) {
                throw new UserInputException("executor: spark does not run multi_fidelity (rung checkpoints stay on the executor "
                        + "that wrote them): set multi_fidelity.min_epochs: 0, or executor: local");
            }
            if (strategy != Strategy.NSGA2 && inFlight == 0) {
                throw new UserInputException("executor: spark needs in_flight set (e.g. 16 for 8 task slots): the candidate sequence "
                        + "depends on it, so it must not follow the cluster's size");
            }
            if (Backend.parse(backend) == Backend.DL4J_CUDA) {
                throw new UserInputException("executor: spark trains with DL4J on CPU executors or with PyTorch (on GPU executors): "
                        + "set backend: torch, dl4j or auto");
            }
        }
        // validates the strategy parameters (fields are not assigned yet in a compact constructor)
        new SearchSettings(strategy, population, offspringFraction, tournament, maxAge, mutationRate, crossoverRate,
                stop, budget, seed, objective, Math.max(1, workers), inFlight);
    }

    public SearchSettings settings() {
        return new SearchSettings(strategy, population, offspringFraction, tournament, maxAge, mutationRate, crossoverRate,
                stop, budget, seed, objective, workers == 0 ? SearchSettings.defaultWorkers() : workers, inFlight);
    }

    /** The database file: the configured path, or {@code anynas-runs/<name>} under the working directory. */
    public Path dbPath() {
        return db.isBlank() ? Path.of("anynas-runs", name) : Path.of(db);
    }

    /** This configuration with {@code in_flight} fixed (stored so that a resumed campaign proposes the same way). */
    public CampaignConfig withInFlight(int n) {
        return new CampaignConfig(name, dataset, dataDir, images, space, strategy, objective, population, offspringFraction, tournament,
                maxAge, mutationRate, crossoverRate, validationSize, seed, workers, db, cache, candidateTimeLimitMinutes, budget,
                stop, fidelity, backend, torch, n, multiFidelity, executor, finalTraining);
    }

    /** The dataset is the user's own images (a folder or CSV), not a built-in one. */
    public boolean ownImages() {
        return !Datasets.isBuiltIn(dataset);
    }

    /**
     * For a folder smaller than the fidelity's train_size or val_size: this configuration with them reduced to what
     * the folder has, and one line saying so (null when nothing changed). A built-in dataset is left to
     * {@link Dataset#check}, which refuses a fidelity it cannot serve.
     */
    public CampaignConfig fittedTo(Dataset data, StringBuilder note) {
        if (!ownImages()) return this;
        int train = Math.min(fidelity.trainSize(), data.train().size());
        int val = Math.min(fidelity.valSize(), data.validation().size());
        if (train == fidelity.trainSize() && val == fidelity.valSize()) return this;
        note.append("fidelity: ");
        if (train != fidelity.trainSize()) note.append(String.format(java.util.Locale.ROOT, "train_size %,d → %,d", fidelity.trainSize(), train));
        if (train != fidelity.trainSize() && val != fidelity.valSize()) note.append(", ");
        if (val != fidelity.valSize()) note.append(String.format(java.util.Locale.ROOT, "val_size %,d → %,d", fidelity.valSize(), val));
        note.append(", all the folder has");
        Fidelity f = new Fidelity(fidelity.epochs(), train, val, fidelity.batchSize(), fidelity.optimizer(), fidelity.learningRate(),
                fidelity.schedule(), fidelity.weightDecay(), fidelity.seed());
        return new CampaignConfig(name, dataset, dataDir, images, space, strategy, objective, population, offspringFraction, tournament,
                maxAge, mutationRate, crossoverRate, validationSize, seed, workers, db, cache, candidateTimeLimitMinutes, budget,
                stop, f, backend, torch, inFlight, multiFidelity, executor, finalTraining);
    }

    /** The campaign's fidelity ladder (one rung, the whole schedule, when multi_fidelity is off). */
    public Ladder ladder() {
        return multiFidelity.enabled()
                ? Ladder.of(multiFidelity.minEpochs(), fidelity.epochs(), multiFidelity.eta(), multiFidelity.rule())
                : Ladder.none(fidelity.epochs());
    }

    /** Where candidates train: on this machine, or as tasks of a Spark cluster. */
    public boolean onSpark() {
        return executor.equals("spark");
    }

    public Backend backendChoice() {
        return Backend.parse(backend);
    }

    public Path dataDirPath() {
        return dataDir.isBlank() ? null : Path.of(dataDir);
    }

    public static CampaignConfig load(Path file) {
        return load(file, "");
    }

    /** A campaign file with {@code overrides} (campaign YAML) on top, as {@link #quickstart} does for its campaign. */
    public static CampaignConfig load(Path file, String overrides) {
        if (!Files.isRegularFile(file)) throw new UserInputException("campaign file " + file + " does not exist");
        try {
            String text = Files.readString(file);
            if (isEmpty(text)) {
                // an empty file used to run a whole default campaign, which nobody who saved an empty file meant
                throw new UserInputException(file + " is empty; a file with just `name: x` runs a campaign with every default");
            }
            return layered(file.toString(), text, overrides);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** No keys at all: blank, only comments, or an empty mapping. */
    private static boolean isEmpty(String yaml) {
        try {
            JsonNode tree = Json.yaml().readTree(yaml);
            return tree == null || tree.isMissingNode() || tree.isNull() || (tree.isObject() && tree.isEmpty());
        } catch (JsonProcessingException e) {
            return false; // not empty, just bad: parse() says what is wrong
        }
    }

    /** Parses campaign YAML over the defaults; {@code source} names the file in error messages. */
    public static CampaignConfig parse(String yaml, String source) {
        return layered(source, yaml);
    }

    /**
     * The quickstart campaign (space, budget, strategy, fidelity) with {@code overrides} on top: the
     * quickstart command and the benchmarks that run "a quickstart campaign" share one definition.
     */
    public static CampaignConfig quickstart(String overrides, String source) {
        try (InputStream in = CampaignConfig.class.getResourceAsStream("/quickstart.yaml")) {
            return layered(source, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), overrides);
        } catch (IOException e) {
            throw new IllegalStateException("the quickstart campaign is missing", e);
        }
    }

    /** This campaign with {@code overrides} (campaign YAML) on top, as {@link #load(Path, String)} layers a file's. */
    public CampaignConfig with(String overrides, String source) {
        return layered(source, toYaml(), overrides);
    }

    /** Layers of campaign YAML, each over the previous one, over the defaults. */
    private static CampaignConfig layered(String source, String... layers) {
        try {
            ObjectNode merged = defaults();
            for (String yaml : layers) {
                JsonNode user = Json.yaml().readTree(yaml);
                if (user == null || user.isMissingNode() || user.isNull()) continue;
                if (!user.isObject()) throw new UserInputException("a campaign file is a YAML mapping of keys");
                merge(merged, (ObjectNode) user, "");
            }
            return Json.yaml().treeToValue(merged, CampaignConfig.class);
        } catch (JsonProcessingException e) {
            throw new UserInputException(source + ": " + Json.problem(e));
        } catch (UserInputException e) {
            throw new UserInputException(source + ": " + e.getMessage());
        }
    }

    /** The effective configuration as YAML (stored with the campaign, so resume uses exactly it). */
    public String toYaml() {
        try {
            return Json.yaml().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode defaults() {
        try (InputStream in = CampaignConfig.class.getResourceAsStream("/campaign-defaults.yaml")) {
            return (ObjectNode) Json.yaml().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("campaign defaults are missing", e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode user, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path + e.getKey();
            JsonNode current = base.get(e.getKey());
            if (current == null) {
                throw new UserInputException("unknown key '" + key + "' (known: " + known(base) + ")");
            }
            if (current.isArray()) { // a list value such as images.size: [64, 64], or one number
                if (e.getValue().isObject()) throw new UserInputException("key '" + key + "' must be a list or a single value");
                base.set(e.getKey(), e.getValue());
            } else if (current.isObject()) {
                if (!e.getValue().isObject()) throw new UserInputException("key '" + key + "' must be a mapping");
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".");
            } else {
                if (e.getValue().isContainerNode()) throw new UserInputException("key '" + key + "' must be a single value");
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String known(ObjectNode node) {
        StringBuilder sb = new StringBuilder();
        node.fieldNames().forEachRemaining(f -> sb.append(sb.length() == 0 ? "" : ", ").append(f));
        return sb.toString();
    }
}
