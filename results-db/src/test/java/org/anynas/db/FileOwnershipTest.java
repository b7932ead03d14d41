package org.anynas.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Between processes, an engine that resumes a campaign owns the results file even when a reader had it open first,
 * and a reader that arrives while the engine waits connects to the engine instead of opening the file itself (the
 * kill stress test's liveness failure: a polling reader kept taking the file after a kill, the resume gave up).
 */
class FileOwnershipTest {

    /** A child process: opens the database as {@code args[0]} (reader|engine), says so, holds it until stdin closes. */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[1]);
        try (ResultsStore store = args[0].equals("engine") ? ResultsStore.openToResume(db) : ResultsStore.openExisting(db)) {
            System.out.println("open remote=" + remote(store));
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the file until the parent closes our stdin
            }
        }
        System.out.println("closed");
    }

    static boolean remote(ResultsStore store) throws Exception {
        return store.connection().unwrap(org.h2.jdbc.JdbcConnection.class).getSession().isRemote();
    }

    @Test
    void anEngineWaitsForAReaderThatCameFirstAndLaterReadersConnectToTheEngine(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/own");
        ResultsStore.open(db).close();

        Child first = Child.start("reader", db);
        assertThat(first.line()).isEqualTo("open remote=false"); // no engine: the reader opens the file itself

        CompletableFuture<ResultsStore> engine = CompletableFuture.supplyAsync(() -> ResultsStore.openToResume(db));
        Thread.sleep(1500);
        assertThat(engine).as("the engine must wait while the reader has the file open").isNotDone();

        Child second = Child.start("reader", db); // the engine is waiting: this reader must not take the file
        Thread.sleep(1500);
        assertThat(second.lines).as("a reader that arrives while an engine waits does not open the file").isEmpty();

        first.release();
        assertThat(first.line()).isEqualTo("closed");
        try (ResultsStore store = engine.get(30, TimeUnit.SECONDS)) {
            assertThat(remote(store)).as("the engine owns the file, it is nobody's client").isFalse();
            assertThat(second.line()).isEqualTo("open remote=true"); // served by the engine
            second.release();
            assertThat(second.line()).isEqualTo("closed");
            assertThat(store.campaigns()).isEmpty(); // the engine's connection still works after its client left
        }
        first.waitFor();
        second.waitFor();
    }

    @Test
    void aReaderConnectsToARunningEngineAndAnEngineInAnotherProcessStartsOnlyAfterItCloses(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("runs/own");
        ResultsStore.open(db).close();
        Child engine = Child.start("engine", db);
        assertThat(engine.line()).isEqualTo("open remote=false");
        try (ResultsStore reader = ResultsStore.openExisting(db)) {
            assertThat(remote(reader)).isTrue();
        }
        engine.release();
        assertThat(engine.line()).isEqualTo("closed");
        engine.waitFor();
        try (ResultsStore mine = ResultsStore.openToResume(db)) {
            assertThat(remote(mine)).isFalse();
        }
    }

    /** A child JVM running {@link #main}; its output lines arrive on a background thread. */
    private record Child(Process process, List<String> lines) {
        static Child start(String role, Path db) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    FileOwnershipTest.class.getName(), role, db.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Child c = new Child(p, Collections.synchronizedList(new ArrayList<>()));
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) c.lines.add(l);
                } catch (java.io.IOException ignored) {
                    // the child is gone
                }
            });
            t.setDaemon(true);
            t.start();
            return c;
        }

        /** The next line, waiting up to 60 s for it (a JVM starting on a busy machine). */
        String line() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.isEmpty() && System.nanoTime() < deadline && process.isAlive()) Thread.sleep(20);
            Thread.sleep(lines.isEmpty() ? 200 : 0); // a last line written just before exit
            return lines.isEmpty() ? "(no line; exit " + (process.isAlive() ? "-" : process.exitValue()) + ")" : lines.remove(0);
        }

        void release() throws Exception {
            process.getOutputStream().close();
        }

        void waitFor() throws Exception {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
