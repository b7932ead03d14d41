package org.anynas.db;

import java.time.OffsetDateTime;

/** A campaign as stored: its identity, configuration (YAML/JSON text) and life-cycle status. */
public record CampaignRow(long id, String name, OffsetDateTime created, OffsetDateTime updated, String status,
                          String strategy, String dataset, String spaceName, String space, long seed, String config) {
}
