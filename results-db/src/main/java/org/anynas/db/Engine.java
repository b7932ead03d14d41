package org.anynas.db;

import java.net.InetAddress;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The process driving a campaign, as recorded in its row: host, process id and last heartbeat. A campaign's
 * engine is alive while its heartbeat is fresh and, when it runs on this host, its process still exists.
 */
public record Engine(String host, long pid, OffsetDateTime heartbeat) {

    /** How often a running engine refreshes its heartbeat. */
    public static final Duration BEAT = Duration.ofSeconds(5);
    /** A heartbeat older than this means the engine is gone (6 missed beats: GC pauses and slow disks pass). */
    public static final Duration STALE = Duration.ofSeconds(30);

    /** This process, beating now. */
    public static Engine self() {
        return new Engine(thisHost(), ProcessHandle.current().pid(), OffsetDateTime.now());
    }

    public boolean alive(OffsetDateTime now) {
        if (heartbeat == null || heartbeat.isBefore(now.minus(STALE))) return false;
        // on this host we can ask the kernel: a killed engine is dead at once, not 30 s later
        return !host.equals(thisHost()) || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** "pid 123 on host h (heartbeat 2 s ago)", for refusals. */
    public String describe(OffsetDateTime now) {
        long ago = heartbeat == null ? -1 : Math.max(0, Duration.between(heartbeat, now).toSeconds());
        return "pid " + pid + " on host " + host + (ago < 0 ? "" : " (heartbeat " + ago + " s ago)");
    }

    public static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
