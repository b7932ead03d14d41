package org.anynas.db;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Campaign leases: which process is a campaign's engine (host, pid, heartbeat), whether it is alive, claiming a
 * campaign by compare-and-set and keeping the claim with heartbeats. Called by {@link ResultsStore} under its lock.
 */
final class CampaignLeases {
    private final Sql sql;

    CampaignLeases(Sql sql) {
        this.sql = sql;
    }

    /** The engine driving the campaign now, if it is running and its engine is alive (fresh heartbeat, process there). */
    Optional<Engine> liveEngine(long campaignId) {
        OffsetDateTime now = OffsetDateTime.now();
        List<Engine> rows = sql.query("SELECT engine_host, engine_pid, heartbeat FROM campaign WHERE id = ? AND status = 'running' "
                + "AND engine_pid IS NOT NULL", rs -> new Engine(rs.getString(1), rs.getLong(2),
                rs.getObject(3, OffsetDateTime.class)), campaignId);
        return rows.stream().filter(e -> e.alive(now)).findFirst();
    }

    /** The status to show: a 'running' campaign whose engine is not alive has {@code died}. */
    String displayStatus(CampaignRow c) {
        return "running".equals(c.status()) && liveEngine(c.id()).isEmpty() ? "died" : c.status();
    }

    /**
     * Makes this process the campaign's engine, unless a live engine drives it: a compare-and-set on the
     * recorded engine, so of two processes resuming at once only one gets it.
     */
    void claim(CampaignRow c) {
        long campaignId = c.id();
        Engine me = Engine.self();
        // this process may take a campaign it already drives (a new campaign is created with its engine set)
        liveEngine(campaignId).filter(other -> !(other.host().equals(me.host()) && other.pid() == me.pid())).ifPresent(other -> {
            throw busy(c.name(), other);
        });
        List<Object[]> was = sql.query("SELECT engine_pid, heartbeat FROM campaign WHERE id = ?",
                rs -> new Object[]{rs.getObject(1, Long.class), rs.getObject(2, OffsetDateTime.class)}, campaignId);
        int n = sql.updateCount("UPDATE campaign SET engine_host = ?, engine_pid = ?, heartbeat = ?, status = 'running', updated = ? "
                        + "WHERE id = ? AND engine_pid IS NOT DISTINCT FROM ? AND heartbeat IS NOT DISTINCT FROM ?",
                me.host(), me.pid(), me.heartbeat(), me.heartbeat(), campaignId, was.get(0)[0], was.get(0)[1]);
        if (n == 0) {
            throw liveEngine(campaignId).map(other -> busy(c.name(), other))
                    .orElseGet(() -> new StoreException("campaign '" + c.name() + "' was taken over by another engine just now"));
        }
        // what a dead engine had in training: its candidates are trained again, and show again when they start
        sql.update("DELETE FROM training_now WHERE campaign_id = ?", campaignId);
    }

    /** Refreshes this process's heartbeat (only while it is still the campaign's engine). */
    void beat(long campaignId) {
        Engine me = Engine.self();
        sql.update("UPDATE campaign SET heartbeat = ? WHERE id = ? AND engine_host = ? AND engine_pid = ?",
                me.heartbeat(), campaignId, me.host(), me.pid());
    }

    static StoreException busy(String name, Engine other) {
        return CampaignBusyException.of(name, other);
    }
}
