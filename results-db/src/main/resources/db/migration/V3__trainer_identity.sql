-- Who trained an evaluation (backend, version, device kind, numerics, evaluator version): part of the score
-- cache's key, so that a PyTorch score never answers a DL4J request (or the reverse), and a changed evaluator
-- does not reuse scores of the old one. Rows from before this column were DL4J on the CPU, evaluator 1.
ALTER TABLE evaluation ADD COLUMN trainer VARCHAR(200) NOT NULL DEFAULT 'dl4j 1.0.0-M2.1 cpu, evaluator 1';
ALTER TABLE evaluation ALTER COLUMN trainer DROP DEFAULT;
DROP INDEX evaluation_cache;
CREATE INDEX evaluation_cache ON evaluation(arch_hash, dataset, trainer, fidelity);
