package org.anynas.search;

import org.anynas.space.UserInputException;
import org.anynas.db.CampaignBusyException;
import org.anynas.db.CampaignRow;
import org.anynas.db.Heartbeat;
import org.anynas.db.ResultsStore;
import org.anynas.db.StoreException;
import org.anynas.evaluator.MemoryLimit;
import org.anynas.evaluator.ProxyTrainer;
import org.anynas.evaluator.Trainer;
import org.anynas.evaluator.data.Dataset;
import org.anynas.evaluator.data.Datasets;
import org.anynas.space.DesignSpace;
import org.anynas.space.GenotypeLayout;
import org.anynas.space.Json;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;


/**
 * Wires a campaign together: dataset, design space, results database, trainer and search. Starting a new
 * campaign stores its effective configuration; resuming reads it back and replays the stored visits.
 */
public final class CampaignRunner {

    /** What a finished (or stopped) campaign produced. */
    public record Outcome(CampaignRow campaign, CampaignConfig config, Path db, List<Visit> visits, int replayed,
                          Dataset dataset, ProxyTrainer trainer) {
    }

    private CampaignRunner() {
    }

    public static Outcome start(CampaignConfig config, SearchListener listener) {
        return start(config, listener, () -> false);
    }

    public static Outcome start(CampaignConfig config, SearchListener listener, BooleanSupplier stop) {
        DesignSpace space = DesignSpace.load(config.space());
        ProxyTrainer trainer = trainer(config, stop);
        Dataset dataset = trainer.dataset();
        trainer.check(config.fidelity());
        try (ResultsStore store = ResultsStore.open(config.dbPath())) {
            var existing = store.campaign(config.name());
            if (existing.isPresent()) {
                store.liveEngine(existing.get().id()).ifPresent(e -> {
                    throw CampaignBusyException.of(config.name(), e);
                });
                throw new UserInputException("campaign '" + config.name() + "' already exists in " + store.file()
                        + ": continue it with ./nas search --resume " + config.name() + " --db " + config.dbPath()
                        + ", or choose another name");
            }
            CampaignRow row = store.createCampaign(config.name(), config.strategy().key(), dataset.name(), space.name(),
                    yaml(space), config.seed(), config.toYaml());
            return run(store, row, config, space, dataset, trainer, listener, stop);
        }
    }

    public static Outcome resume(String name, Path db, SearchListener listener, BooleanSupplier stop) {
        try (ResultsStore store = ResultsStore.openExisting(db)) {
            CampaignRow row = store.campaign(name).orElseThrow(() -> new UserInputException(
                    "no campaign '" + name + "' in " + store.file() + " (./nas db campaigns --db " + db + " lists them)"));
            store.claim(row.id()); // before loading data: a campaign another live process drives is refused at once
            CampaignConfig config = CampaignConfig.parse(row.config(), "stored configuration of " + name);
            DesignSpace space = readSpace(row.space());
            ProxyTrainer trainer = trainer(config, stop);
            Dataset dataset = trainer.dataset();
            return run(store, row, config, space, dataset, trainer, listener, stop);
        }
    }

    /** The campaign's dataset (its seeded train/validation split) and a CPU trainer with its time limit. */
    public static ProxyTrainer trainer(CampaignConfig config, BooleanSupplier stop) {
        Dataset dataset = Datasets.load(config.dataset(), config.dataDirPath(), config.validationSize(), config.seed());
        return ProxyTrainer.of(dataset, Duration.ofSeconds((long) (config.candidateTimeLimitMinutes() * 60))).withStop(stop)
                .withMemoryLimit(MemoryLimit.machine(config.settings().workers()));
    }

    private static Outcome run(ResultsStore store, CampaignRow row, CampaignConfig config, DesignSpace space,
                               Dataset dataset, ProxyTrainer trainer, SearchListener listener, BooleanSupplier stop) {
        GenotypeLayout layout = space.layout(dataset.shape(), dataset.classes());
        DbSearchLog log = new DbSearchLog(store, row.id(), trainer.datasetKey(), config.cache());
        store.claim(row.id()); // one engine per campaign: refused while another live process drives it
        Search search = Search.of(layout, config.settings(), config.fidelity(), trainer, log, listener).withStop(stop);
        List<Visit> visits;
        try (Heartbeat beat = Heartbeat.start(store, row.id())) {
            visits = search.run();
        } catch (RuntimeException e) {
            store.setCampaignStatus(row.id(), "failed");
            throw e;
        }
        store.setCampaignStatus(row.id(), search.stopped() ? "interrupted" : "finished");
        CampaignRow updated = store.campaign(row.name()).orElseThrow();
        return new Outcome(updated, config, store.file(), visits, log.storedCount(), dataset, trainer);
    }

    private static String yaml(DesignSpace space) {
        try {
            return Json.yaml().writeValueAsString(space);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DesignSpace readSpace(String yaml) {
        try {
            return Json.yaml().readValue(yaml, DesignSpace.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("stored design space is unreadable: " + Json.problem(e));
        }
    }

}
