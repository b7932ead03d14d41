-- Version 4: which engine drives a campaign, and its heartbeat. A campaign that is 'running' with a stale
-- heartbeat (or whose process is gone, on the same host) has died; a fresh heartbeat keeps a second engine out.
ALTER TABLE campaign ADD COLUMN engine_host VARCHAR(255);
ALTER TABLE campaign ADD COLUMN engine_pid BIGINT;
ALTER TABLE campaign ADD COLUMN heartbeat TIMESTAMP WITH TIME ZONE;
