package org.anynas.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Files and ownership: opening a results file, at most one engine serving it (H2's mixed mode, {@link FileOwnership}),
 * readers connecting to that engine, the schema migrated by Flyway, and the waits and retries while another process
 * holds the file for a moment. What it opens, {@link ResultsStore} reads and writes.
 */
final class DatabaseFile {
    static final String SUFFIX = ".mv.db";

    /** An open database: its file, the URL other tools use with the read-only user, the connection and its ownership. */
    record Opened(Path file, String url, Connection connection, FileOwnership ownership) {
    }

    private DatabaseFile() {
    }

    /** Opens or creates the database at {@code path} (with or without {@code .mv.db}) and migrates it. */
    static Opened open(Path path) {
        Path file = normalise(path);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create directory for " + file + ": " + e.getMessage());
        }
        boolean existed = Files.exists(file);
        try {
            return connect(file, false, true);
        } catch (StoreException e) {
            // a disk that fills up while the schema is created leaves tables without Flyway's record of them,
            // a file that never opens again; it holds nothing of the user's, so it goes
            if (!existed && Sql.diskFull(e) != null) {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(Path.of(file.toString().replace(SUFFIX, ".trace.db")));
                } catch (java.io.IOException ignored) {
                    // the message below still says what happened
                }
            }
            throw e;
        }
    }

    /**
     * Opens an existing database to read it ({@code db}, {@code report}, {@code train}): it connects to the engine
     * that drives a campaign in it, and opens the file itself only while no engine owns it or waits for it.
     * A missing file is an error, never a new empty database.
     */
    static Opened openExisting(Path path) {
        return connect(existing(path), true, false);
    }

    /** Opens an existing database for an engine that resumes a campaign in it (see {@link FileOwnership}). */
    static Opened openToResume(Path path) {
        return connect(existing(path), true, true);
    }

    private static Path existing(Path path) {
        Path file = normalise(path);
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no results database at " + file + " (run a search first, or pass --db PATH)");
        }
        return file;
    }

    /** {@code runs/quick} and {@code runs/quick.mv.db} name the same database file. */
    static Path normalise(Path path) {
        String s = path.toString();
        return Path.of(s.endsWith(SUFFIX) ? s : s + SUFFIX);
    }

    private static Opened connect(Path file, boolean mustExist, boolean engine) {
        String base = file.toAbsolutePath().toString();
        base = base.substring(0, base.length() - SUFFIX.length());
        if (Files.exists(file) && !Files.isWritable(file)) {
            // H2 opens a file it may not write read-only, but not in mixed mode: readers (db top, export) get it
            // alone and read-only; anything that writes fails with readOnly()'s message
            String url = "jdbc:h2:file:" + base + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
            try {
                Connection c = DriverManager.getConnection(url, "sa", "");
                return new Opened(file, url, c, null);
            } catch (SQLException e) {
                throw new StoreException(describe(file, e), e);
            }
        }
        long deadline = System.nanoTime() + OPEN_PATIENCE_NANOS;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            FileOwnership own = engine ? FileOwnership.engine(file) : FileOwnership.reader(file);
            if (own == null || (own.role() == FileOwnership.Role.CLIENT && !serverNamed(base))) {
                // readers still have the file open, or the engine that owns it is not serving it yet
                if (own != null) own.close();
                pause();
                continue;
            }
            // a reader opens the file without serving it: clients wait for an engine's server, never a reader's
            String server = own.role() == FileOwnership.Role.READER ? "" : ";AUTO_SERVER=TRUE";
            // WRITE_DELAY=0: H2 otherwise writes commits to the file up to a second later, and kill -9 loses them
            String url = "jdbc:h2:file:" + base + server + ";WRITE_DELAY=0" + (mustExist ? ";IFEXISTS=TRUE" : "");
            Connection c = null;
            try {
                // the views (a repeatable migration) sit apart from the versioned migrations: Flyway applies repeatables
                // after any target version, and the views need the newest schema
                Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/views")
                        .loggers("slf4j").load().migrate();
                c = DriverManager.getConnection(url, "sa", "");
                c.setAutoCommit(true);
                if (own.role() == FileOwnership.Role.OWNER && remote(c)) {
                    // another process took the file over from a killed engine's stale lock; wait until it lets go
                    c.close();
                    own.stepBack();
                    pause();
                    continue;
                }
                // the read-only user may not change settings such as WRITE_DELAY, so it connects without them
                return new Opened(file, "jdbc:h2:file:" + base + server + ";IFEXISTS=TRUE", c, own);
            } catch (FlywayException | SQLException e) {
                closeQuietly(c);
                own.stepBack();
                if (!momentary(e)) {
                    if (engine) FileOwnership.abandonWait(file);
                    throw new StoreException(describe(file, e), e);
                }
                last = e;
                pause();
            }
        }
        if (engine) FileOwnership.abandonWait(file);
        throw new StoreException(last != null ? describe(file, last)
                : "cannot open results database " + file + ": another process has held it open for "
                + OPEN_PATIENCE_NANOS / 1_000_000_000 + " s (a long ./nas db query or report?); run it again when that ends");
    }

    /** H2's lock file names the server of the process that has the file open (AUTO_SERVER). */
    private static boolean serverNamed(String base) {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of(base + ".lock.db"))) {
            p.load(in);
        } catch (java.io.IOException e) {
            return false;
        }
        return p.getProperty("server") != null;
    }

    private static boolean remote(Connection c) throws SQLException {
        return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession().isRemote();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // the error being reported is the one that matters
        }
    }

    static final long OPEN_PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    private static final int EXCLUSIVE_MODE = 90135; // org.h2.api.ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE

    /**
     * Opening fails for a moment, not for good: while the search commits a candidate (exclusive mode, see
     * {@link ResultsStore#recordCandidate}), while the lock file still names the server of a process that is gone, and while
     * another process takes over the lock file of a killed one (H2 waits
     * until the lock file is 2 s old and gives up if a second opener keeps touching it).
     */
    static boolean momentary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == EXCLUSIVE_MODE) return true;
            String m = String.valueOf(t.getMessage());
            if (m.contains("Lock file recently modified") || m.contains("Concurrent update")
                    || m.contains("Another process was faster")
                    // the lock file names the server of a process that has just closed the file or was killed
                    || m.contains("Connection refused")
                    // another process (a reader, after the engine was killed) has just opened the file and not yet
                    // started serving it; found by the stress test: a resume failed with it
                    || m.contains("Locked by another process")) return true;
        }
        return false;
    }

    static void pause() {
        try {
            Thread.sleep(50 + java.util.concurrent.ThreadLocalRandom.current().nextInt(100));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the results database");
        }
    }

    private static String describe(Path file, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (Sql.diskFull(e) != null) {
            return "cannot write " + file + ": the disk is full (" + Sql.diskFull(e) + "); free some space and run it again";
        }
        // some failures (a connection to a server that has just gone) carry no message at their root
        String msg = root.getMessage() != null ? root.getMessage().split("\n")[0]
                : e.getMessage() != null ? e.getMessage().split("\n")[0] + " (" + root.getClass().getSimpleName() + ")"
                : root.getClass().getSimpleName();
        if (msg.contains("corrupted") || msg.contains("is not a valid") || msg.contains("Unsupported database file")
                || msg.contains("Wrong file format") || msg.contains("File header is corrupt")) {
            return file + " is not an H2 database or is damaged (" + msg + ")";
        }
        return "cannot open results database " + file + ": " + msg;
    }
}
