-- Views, defined here once; Flyway re-applies this file whenever it changes (after the versioned migrations).
-- V2 and V5 also created `results`: they stay as they were applied (their checksums are in every database), and
-- from here on `results` changes only in this file. A versioned migration that drops or changes a column these
-- views read must DROP VIEW network_score (and results) first, and this file must change with it so that it runs again.

DROP VIEW IF EXISTS network_score;
DROP VIEW IF EXISTS results; -- CREATE OR REPLACE cannot add a column (val_bal_acc V6, sN_group_width V7) in the middle

-- One flat row per candidate, for analysis.
CREATE OR REPLACE VIEW results AS
SELECT c.id AS candidate, cp.name AS campaign, c.seq, c.generation, c.origin, c.parent1, c.parent2, c.cached,
       e.status, e.val_acc, e.val_loss, 1 - e.val_acc AS val_error, e.val_bal_acc, e.train_seconds, e.train_img_per_s,
       e.latency_ms, e.infer_img_per_s, e.dataset, e.epochs, e.rung, e.rung_epochs, e.train_size, e.val_size,
       e.batch_size, e.optimizer, e.learning_rate, e.schedule, e.weight_decay, e.seed AS fidelity_seed, e.host, e.device,
       a.hash, a.one_line, a.params, a.macs, a.activations, a.stages, a.stem_width, a.stem_kernel, a.stem_stride,
       a.activation, a.head_layers, a.head_dropout, a.total_depth,
       a.s1_block, a.s1_depth, a.s1_width, a.s1_kernel, a.s1_bottleneck, a.s1_depthwise, a.s1_se, a.s1_downsample, a.s1_group_width,
       a.s2_block, a.s2_depth, a.s2_width, a.s2_kernel, a.s2_bottleneck, a.s2_depthwise, a.s2_se, a.s2_downsample, a.s2_group_width,
       a.s3_block, a.s3_depth, a.s3_width, a.s3_kernel, a.s3_bottleneck, a.s3_depthwise, a.s3_se, a.s3_downsample, a.s3_group_width,
       a.s4_block, a.s4_depth, a.s4_width, a.s4_kernel, a.s4_bottleneck, a.s4_depthwise, a.s4_se, a.s4_downsample, a.s4_group_width,
       a.s5_block, a.s5_depth, a.s5_width, a.s5_kernel, a.s5_bottleneck, a.s5_depthwise, a.s5_se, a.s5_downsample, a.s5_group_width,
       a.s6_block, a.s6_depth, a.s6_width, a.s6_kernel, a.s6_bottleneck, a.s6_depthwise, a.s6_se, a.s6_downsample, a.s6_group_width
FROM candidate c
JOIN campaign cp ON cp.id = c.campaign_id
JOIN architecture a ON a.hash = c.arch_hash
JOIN evaluation e ON e.id = c.evaluation_id;

-- The score of a network in a campaign: one row per (campaign, network), the network's first successful candidate
-- at the highest rung it reached there. Rungs compare by rung_epochs, not rung: a score reused from another
-- campaign's ladder carries that campaign's rung number. top_rung_epochs is the campaign's highest rung (every
-- row's rung without a ladder); at_top_rung says the network reached it, the networks Pareto fronts compare, so
-- that none is on a front only for having trained longer. db top, db pareto, export --best, train --candidate
-- and the report all read this view.
CREATE VIEW network_score AS
SELECT s.* EXCEPT (nth) FROM (
  SELECT r.*, MAX(r.rung_epochs) OVER (PARTITION BY r.campaign) AS top_rung_epochs,
         r.rung_epochs = MAX(r.rung_epochs) OVER (PARTITION BY r.campaign) AS at_top_rung,
         ROW_NUMBER() OVER (PARTITION BY r.campaign, r.hash ORDER BY r.rung_epochs DESC, r.candidate) AS nth
  FROM results r
  WHERE r.status = 'ok' AND r.val_acc IS NOT NULL) s
-- a filter in the outer query, not QUALIFY: H2 2.5 pushes a query's conditions on this view into a QUALIFY and
-- drops the QUALIFY (campaign = 'x' then returned every rung)
WHERE s.nth = 1;
