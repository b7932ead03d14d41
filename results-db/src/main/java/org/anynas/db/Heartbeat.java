package org.anynas.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that refreshes this engine's heartbeat in the campaign row every {@link Engine#BEAT}, so that
 * other processes can tell a running campaign from a dead one. Close it when the search ends.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    private final ScheduledExecutorService timer;

    private Heartbeat(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static Heartbeat start(ResultsStore store, long campaignId) {
        return start(store, campaignId, Engine.BEAT);
    }

    /** With another period, for tests. */
    public static Heartbeat start(ResultsStore store, long campaignId, java.time.Duration period) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "campaign-heartbeat");
            t.setDaemon(true); // never keeps the JVM alive
            return t;
        });
        long every = period.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                store.beat(campaignId);
            } catch (RuntimeException e) {
                // a failed beat is retried next time; if they keep failing the campaign shows as died, which is true
                LOG.warn("heartbeat of campaign {} failed: {}", campaignId, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return new Heartbeat(timer);
    }

    @Override
    public void close() {
        // no interrupt: an H2 write whose thread is interrupted (ClosedByInterruptException) closes the whole
        // database, which is how a beat in flight at the end of a campaign failed its last commit; shutdown()
        // cancels the next beats and lets the running one finish
        timer.shutdown();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
