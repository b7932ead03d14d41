package org.anynas.db;

import java.time.OffsetDateTime;

/**
 * A candidate in training now (a row of {@code training_now} whose campaign's engine is alive): it trains to
 * {@code epochs} at rung {@code rung}, continuing from {@code fromEpoch} (0: from scratch), since {@code started}.
 */
public record TrainingNowRow(String campaign, int seq, String archHash, String oneLine, long params, long macs, int rung,
                             int epochs, int fromEpoch, OffsetDateTime started) {
}
