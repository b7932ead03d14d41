package org.anynas.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Which process may open a results database file embedded, and so serve it to the others (H2's AUTO_SERVER).
 * H2 gives the file to whoever opens it first. After a {@code kill -9} that can be a reader polling
 * {@code ./nas db top}; a resume that starts then finds the file locked, or becomes a client of a reader that
 * exits a moment later. The rule kept here: an engine (a search driving a campaign) owns the file while it runs,
 * and a reader opens it embedded only while no engine owns it or waits for it; otherwise the reader connects to
 * the engine's server.
 *
 * <p>Two one-byte OS locks on {@code <db>.owner.lock} carry the rule between processes; the kernel drops them when
 * a process dies, so a killed engine never blocks anyone. Byte 0, ENGINE: held exclusively by the engine that owns
 * the file (or waits for it); a reader only tests it. Byte 1, OPEN: shared by the readers that have the file open
 * embedded, exclusive for the owning engine, which therefore waits for those readers to close and no others start.
 * A JVM holds a file lock once, so this process's holders are counted in one table.
 */
final class FileOwnership implements AutoCloseable {

    enum Role {
        /** Opens the file embedded and serves it (an engine). */
        OWNER,
        /** Opens the file embedded for reading while no engine owns it. */
        READER,
        /** Connects to the owning engine's server; must not open the file itself. */
        CLIENT,
        /** No lock file could be made (a read-only directory): H2's own locking alone, as before. */
        UNGUARDED
    }

    private static final long ENGINE = 0;
    private static final long OPEN = 1;

    /** This JVM's locks on one database file. */
    private static final class Held {
        final FileChannel channel;
        FileLock engine;
        FileLock open;
        int engines;
        int readers;

        Held(FileChannel channel) {
            this.channel = channel;
        }
    }

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private final Role role;
    private boolean closed;

    private FileOwnership(Path key, Role role) {
        this.key = key;
        this.role = role;
    }

    Role role() {
        return role;
    }

    /** The lock file beside a database file {@code x.mv.db}: {@code x.owner.lock}. */
    static Path lockFile(Path dbFile) {
        String name = dbFile.getFileName().toString().replace(".mv.db", "");
        return dbFile.toAbsolutePath().resolveSibling(name + ".owner.lock");
    }

    /**
     * For an engine: OWNER when it may open the file now, CLIENT when another process's engine owns it (two
     * campaigns in one file), null when readers still have it open (try again in a moment; no new reader opens it
     * meanwhile, because this engine now holds ENGINE).
     */
    static FileOwnership engine(Path dbFile) {
        Path key = lockFile(dbFile);
        synchronized (HELD) {
            Held h = held(key);
            if (h == null) return new FileOwnership(key, Role.UNGUARDED);
            if (h.engines > 0) { // another engine in this JVM owns it already (tests); H2 shares it in-process
                h.engines++;
                return new FileOwnership(key, Role.OWNER);
            }
            if (h.engine == null) h.engine = tryLock(h.channel, ENGINE, false);
            if (h.engine == null) {
                forget(key, h);
                return new FileOwnership(key, Role.CLIENT);
            }
            if (h.readers > 0) return null; // this JVM's readers first
            if (h.open == null) h.open = tryLock(h.channel, OPEN, false); // else kept by stepBack()
            if (h.open == null) return null; // another process's readers; ENGINE stays held so no new one starts
            h.engines++;
            return new FileOwnership(key, Role.OWNER);
        }
    }

    /**
     * An owner that could not open the file yet (H2 still recovering a killed process's lock) lets go of it for a
     * retry but keeps the engine's claim, so that no reader takes the file meanwhile.
     */
    void stepBack() {
        if (role != Role.OWNER) {
            close();
            return;
        }
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            Held h = HELD.get(key);
            if (h != null) h.engines--;
        }
    }

    /** Gives up an engine's wait (after {@link #engine} returned null, or a stepBack): readers may open the file. */
    static void abandonWait(Path dbFile) {
        Path key = lockFile(dbFile);
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h != null && h.engines == 0 && h.engine != null) {
                release(h.open);
                release(h.engine);
                h.open = null;
                h.engine = null;
                forget(key, h);
            }
        }
    }

    /** For a reader: READER when no engine owns the file or waits for it, CLIENT otherwise. */
    static FileOwnership reader(Path dbFile) {
        Path key = lockFile(dbFile);
        synchronized (HELD) {
            Held h = held(key);
            if (h == null) return new FileOwnership(key, Role.UNGUARDED);
            if (h.engines > 0 || h.engine != null) { // an engine in this JVM owns it or waits for it
                forget(key, h);
                return new FileOwnership(key, Role.CLIENT);
            }
            if (h.readers == 0) {
                FileLock probe = tryLock(h.channel, ENGINE, true);
                if (probe == null) {
                    forget(key, h);
                    return new FileOwnership(key, Role.CLIENT);
                }
                release(probe);
                h.open = tryLock(h.channel, OPEN, true);
                if (h.open == null) {
                    forget(key, h);
                    return new FileOwnership(key, Role.CLIENT);
                }
            }
            h.readers++;
            return new FileOwnership(key, Role.READER);
        }
    }

    /** Releases this holder's part; the OS locks go with the last holder in this JVM. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) return;
            closed = true;
            Held h = HELD.get(key);
            if (h == null) return;
            if (role == Role.OWNER && --h.engines == 0) {
                release(h.open);
                release(h.engine);
                h.open = null;
                h.engine = null;
            } else if (role == Role.READER && --h.readers == 0 && h.open != null && h.open.isShared()) {
                release(h.open);
                h.open = null;
            }
            forget(key, h);
        }
    }

    private static Held held(Path key) {
        Held h = HELD.get(key);
        if (h != null) return h;
        try {
            h = new Held(FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        HELD.put(key, h);
        return h;
    }

    /** Drops this JVM's record of a file once nothing here holds it. */
    private static void forget(Path key, Held h) {
        if (h.engines == 0 && h.readers == 0 && h.engine == null && h.open == null) {
            HELD.remove(key);
            try {
                h.channel.close();
            } catch (IOException ignored) {
                // the channel held no lock
            }
        }
    }

    private static FileLock tryLock(FileChannel channel, long position, boolean shared) {
        try {
            return channel.tryLock(position, 1, shared);
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("lock already held in this JVM outside the table", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot lock a results database's owner.lock file: " + e.getMessage(), e);
        }
    }

    private static void release(FileLock lock) {
        if (lock == null) return;
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel is closed with the lock; nothing left to release
        }
    }
}
