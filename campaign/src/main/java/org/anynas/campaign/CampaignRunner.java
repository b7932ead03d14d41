package org.anynas.campaign;

import org.anynas.search.EvaluationPool;
import org.anynas.search.Search;
import org.anynas.search.SearchListener;
import org.anynas.search.Visit;
import org.anynas.space.UserInputException;
import org.anynas.db.CampaignBusyException;
import org.anynas.db.CampaignRow;
import org.anynas.db.Heartbeat;
import org.anynas.db.ResultsStore;
import org.anynas.db.StoreException;
import org.anynas.dl4j.ProxyTrainer;
import org.anynas.data.Dataset;
import org.anynas.data.Datasets;
import org.anynas.space.DesignSpace;
import org.anynas.space.Genome;
import org.anynas.space.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;


/**
 * Wires a campaign together: dataset, design space, results database, trainer and search. Starting a new
 * campaign stores its effective configuration; resuming reads it back and replays the stored visits.
 */
public final class CampaignRunner {

    /** What a finished (or stopped) campaign produced; {@code utilisation} is the pool's busy share of slot time. */
    public record Outcome(CampaignRow campaign, CampaignConfig config, Path db, List<Visit> visits, int replayed,
                          Dataset dataset, String backend, int slots, double utilisation) {
    }


    private CampaignRunner() {
    }

    public static Outcome start(CampaignConfig config, SearchListener listener) {
        return start(config, listener, () -> false);
    }

    public static Outcome start(CampaignConfig config, SearchListener listener, BooleanSupplier stop) {
        return start(config, listener, stop, () -> { });
    }

    /**
     * Starts a new campaign. What can refuse it is decided before its first file is written, in this order: the
     * space, dataset and budget ({@link Preflight}), a campaign of that name in an existing database, the backend
     * and executor. Only then does {@code accepted} run (the CLI opens its log file there) and the database get
     * created, so that a refused campaign leaves nothing behind and its corrected file starts afresh.
     */
    public static Outcome start(CampaignConfig asGiven, SearchListener listener, BooleanSupplier stop, Runnable accepted) {
        Preflight.Checked checked = Preflight.check(asGiven, listener.decoding());
        CampaignConfig config = checked.config(); // a small folder's fidelity reduced to what it has
        if (!checked.fitNote().isEmpty()) listener.dataset(checked.fitNote());
        DesignSpace space = checked.space();
        Dataset dataset = checked.dataset();
        // an existing database is read to refuse a duplicate name; a missing one is created last
        ResultsStore store = Files.isRegularFile(ResultsStore.normalise(config.dbPath())) ? ResultsStore.open(config.dbPath()) : null;
        try {
            if (store != null) refuseExisting(store, config);
            // the backend before anything is stored: a campaign it cannot train is refused with nothing written
            Backends.Opened backend = Backends.open(config, dataset, stop, logFile(config.dbPath()));
            try (EvaluationPool pool = backend.pool()) {
                accepted.run();
                if (store == null) {
                    store = ResultsStore.open(config.dbPath());
                    refuseExisting(store, config); // another process may have started it meanwhile
                }
                // in_flight 0 means sized to this machine's slots: stored as a number, so a resume proposes the same way
                CampaignConfig effective = config.inFlight() > 0 ? config : config.withInFlight(Search.inFlightFor(pool.slots()));
                CampaignRow row = store.createCampaign(effective.name(), effective.strategy().key(), dataset.name(), space.name(),
                        space.toYaml(), effective.seed(), effective.toYaml());
                return run(store, row, effective, space, dataset, backend, listener, stop);
            }
        } finally {
            if (store != null) store.close();
        }
    }

    private static void refuseExisting(ResultsStore store, CampaignConfig config) {
        var existing = store.campaign(config.name());
        if (existing.isPresent()) {
            store.liveEngine(existing.get().id()).ifPresent(e -> {
                throw CampaignBusyException.of(config.name(), e);
            });
            throw new UserInputException("campaign '" + config.name() + "' already exists in " + store.file()
                    + ": continue it with ./nas search --resume " + config.name() + " --db " + config.dbPath()
                    + ", or choose another name");
        }
    }

    public static Outcome resume(String name, Path db, SearchListener listener, BooleanSupplier stop) {
        return resume(name, db, listener, stop, () -> { });
    }

    /** Continues a stored campaign; {@code accepted} runs once nothing refuses it, before its log and checkpoints are written. */
    public static Outcome resume(String name, Path db, SearchListener listener, BooleanSupplier stop, Runnable accepted) {
        try (ResultsStore store = ResultsStore.openToResume(db)) {
            CampaignRow row = store.campaign(name).orElseThrow(() -> new UserInputException(
                    "no campaign '" + name + "' in " + store.file() + " (./nas db campaigns --db " + db + " lists them)"));
            store.claim(row.id()); // before loading data: a campaign another live process drives is refused at once
            CampaignConfig config = CampaignConfig.parse(row.config(), "stored configuration of " + name);
            DesignSpace space = readSpace(row.space());
            Dataset dataset = dataset(config, listener.decoding());
            Backends.Opened backend = Backends.open(config, dataset, stop, logFile(store.file()));
            try (EvaluationPool ignored = backend.pool()) {
                accepted.run();
                return run(store, row, config, space, dataset, backend, listener, stop);
            }
        }
    }

    /** The campaign's dataset with its seeded train/validation split. */
    public static Dataset dataset(CampaignConfig config) {
        return dataset(config, org.anynas.data.folder.Progress.NONE);
    }

    /** As above, reporting a folder's first decoding to {@code progress}. */
    public static Dataset dataset(CampaignConfig config, org.anynas.data.folder.Progress progress) {
        return Datasets.load(config.dataset(), config.dataDirPath(), config.images(), config.validationSize(), config.seed(),
                progress);
    }

    /** A DL4J CPU trainer for the campaign's dataset and time limit (exports retrain with it). */
    public static ProxyTrainer trainer(CampaignConfig config, BooleanSupplier stop) {
        return Backends.dl4jTrainer(config, dataset(config), stop);
    }

    /** The log file beside a run's database: {@code anynas-runs/<name>.log}. */
    public static Path logFile(Path db) {
        Path file = ResultsStore.normalise(db);
        String name = file.getFileName().toString().replace(".mv.db", "");
        return file.toAbsolutePath().getParent().resolve(name + ".log");
    }

    /** The run folder's checkpoints of a campaign's fidelity ladder: {@code anynas-runs/<name>.checkpoints}. */
    public static Path checkpointDir(Path db) {
        Path file = ResultsStore.normalise(db);
        String name = file.getFileName().toString().replace(".mv.db", "");
        return file.toAbsolutePath().getParent().resolve(name + ".checkpoints");
    }

    private static Outcome run(ResultsStore store, CampaignRow row, CampaignConfig config, DesignSpace space,
                               Dataset dataset, Backends.Opened backend, SearchListener listener, BooleanSupplier stop) {
        Genome layout = space.genome(dataset.shape(), dataset.classes());
        EvaluationPool pool = backend.pool();
        String described = dataset.describe();
        listener.dataset(described);
        store.setDatasetSummary(row.id(), described); // the report shows it; a resume refreshes it
        listener.ladder(config.ladder());
        listener.backend(backend.description() + (config.ladder().enabled() ? String.format("%nfidelity ladder %s; "
                + "max_evaluations counts every rung's training", config.ladder().oneLine()) : ""));
        DbSearchLog log = new DbSearchLog(store, row.id(), dataset.name(), pool.trainerIdentity(), config.cache());
        Search search = Search.builder(layout, config.settings(), config.fidelity()).pool(pool).log(log).listener(listener)
                .stop(stop).ladder(config.ladder(), checkpointDir(store.file())).build();
        List<Visit> visits;
        try (Heartbeat beat = Heartbeat.start(store, row.id())) {
            visits = search.run();
        } catch (RuntimeException e) {
            store.setCampaignStatus(row.id(), "failed");
            throw e;
        }
        store.setCampaignStatus(row.id(), search.stopped() ? "interrupted" : "finished");
        CampaignRow updated = store.campaign(row.name()).orElseThrow();
        return new Outcome(updated, config, store.file(), visits, log.storedCount(), dataset,
                backend.description(), pool.slots(), pool.utilisation());
    }

    private static DesignSpace readSpace(String yaml) {
        try {
            return Json.yaml().readValue(yaml, DesignSpace.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("stored design space is unreadable: " + Json.problem(e));
        }
    }

}
