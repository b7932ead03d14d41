-- Version 9: what is training now. A row per candidate whose training has started and whose result is not yet
-- committed: written when the engine hands the training to a slot, deleted in the transaction that commits the
-- candidate. Rows count only while the campaign's engine is alive (its heartbeat); a resumed campaign first clears the
-- rows its dead engine left, so a row never outlives the engine that wrote it in what the commands show.
CREATE TABLE training_now (
  campaign_id BIGINT NOT NULL REFERENCES campaign(id),
  seq INT NOT NULL,
  arch_hash VARCHAR(64) NOT NULL,
  one_line VARCHAR(4000) NOT NULL,
  params BIGINT NOT NULL,
  macs BIGINT NOT NULL,
  rung INT NOT NULL,
  epochs INT NOT NULL,
  from_epoch INT NOT NULL,
  started TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign_id, seq)
);
