-- Version 5: multi-fidelity rungs. An evaluation is one network trained for rung_epochs epochs of a run whose
-- learning-rate schedule is planned for `epochs` (the fidelity's); rung is its place on the campaign's ladder
-- (0 = first). A promoted candidate continues from its checkpoint, so each rung has its own evaluation, and the
-- score cache's key gains rung_epochs. Rows from before this version trained their whole schedule: rung 0.
ALTER TABLE evaluation ADD COLUMN rung INT NOT NULL DEFAULT 0;
ALTER TABLE evaluation ADD COLUMN rung_epochs INT;
UPDATE evaluation SET rung_epochs = epochs;
ALTER TABLE evaluation ALTER COLUMN rung_epochs SET NOT NULL;
DROP INDEX evaluation_cache;
CREATE INDEX evaluation_cache ON evaluation(arch_hash, dataset, trainer, fidelity, rung_epochs);

DROP VIEW results;
CREATE VIEW results AS
SELECT c.id AS candidate, cp.name AS campaign, c.seq, c.generation, c.origin, c.parent1, c.parent2, c.cached,
       e.status, e.val_acc, e.val_loss, 1 - e.val_acc AS val_error, e.train_seconds, e.train_img_per_s,
       e.latency_ms, e.infer_img_per_s, e.dataset, e.epochs, e.rung, e.rung_epochs, e.train_size, e.val_size,
       e.batch_size, e.optimizer, e.learning_rate, e.schedule, e.weight_decay, e.seed AS fidelity_seed, e.host, e.device,
       a.hash, a.one_line, a.params, a.macs, a.activations, a.stages, a.stem_width, a.stem_kernel, a.stem_stride,
       a.activation, a.head_layers, a.head_dropout, a.total_depth,
       a.s1_block, a.s1_depth, a.s1_width, a.s1_kernel, a.s1_bottleneck, a.s1_depthwise, a.s1_se, a.s1_downsample,
       a.s2_block, a.s2_depth, a.s2_width, a.s2_kernel, a.s2_bottleneck, a.s2_depthwise, a.s2_se, a.s2_downsample,
       a.s3_block, a.s3_depth, a.s3_width, a.s3_kernel, a.s3_bottleneck, a.s3_depthwise, a.s3_se, a.s3_downsample,
       a.s4_block, a.s4_depth, a.s4_width, a.s4_kernel, a.s4_bottleneck, a.s4_depthwise, a.s4_se, a.s4_downsample,
       a.s5_block, a.s5_depth, a.s5_width, a.s5_kernel, a.s5_bottleneck, a.s5_depthwise, a.s5_se, a.s5_downsample,
       a.s6_block, a.s6_depth, a.s6_width, a.s6_kernel, a.s6_bottleneck, a.s6_depthwise, a.s6_se, a.s6_downsample
FROM candidate c
JOIN campaign cp ON cp.id = c.campaign_id
JOIN architecture a ON a.hash = c.arch_hash
JOIN evaluation e ON e.id = c.evaluation_id;
