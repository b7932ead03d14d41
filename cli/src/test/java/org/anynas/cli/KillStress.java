package org.anynas.cli;

import org.anynas.db.CampaignRow;
import org.anynas.db.CandidateRow;
import org.anynas.db.ResultsStore;
import org.anynas.db.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real campaign process is SIGKILLed again and again while a reader in this process polls its database; after
 * each kill every candidate the reader saw must be in the file, unchanged. Half the kills come right after the
 * reader sees a new candidate (the moment a commit is visible), the others at a random time after start.
 * Used by {@code KillStressTest} (a few kills, in {@code mvn verify}) and {@code bench/durability-stress.sh}.
 */
record KillStress(Path dir, int kills, long seed) {

    /** What a run found; {@code lost} and {@code problems} must be empty. */
    record Report(int kills, int killsAfterSeen, int seen, int evaluations, List<String> lost, List<String> problems,
                  double seconds) {
    }

    private static final String NAME = "stress";

    static KillStress of(Path dir, int kills, long seed) {
        return new KillStress(dir, kills, seed);
    }

    int evaluations() {
        // each run commits about one candidate before its kill, but a run can commit several before the reader sees one:
        // a read opens the store (and its schema check), which can take as long as ten of these 0.1 s trainings (seen in
        // CI: runs 0 and 1 committed 10, and resume 2 trained the last 5 before its first read; later, runs 0 and 1
        // committed 14 of 25, and resume 2 trained the other 11 unseen); room enough that no run finishes the campaign
        return 10 + 10 * kills;
    }

    Path db() {
        return dir.resolve("runs/" + NAME);
    }

    Report run() throws Exception {
        long t0 = System.nanoTime();
        Path yaml = dir.resolve(NAME + ".yaml");
        Files.writeString(yaml, """
                name: %s
                dataset: synthetic
                validation_size: 500
                space: chain
                strategy: evolution
                population: 4
                tournament: 2
                budget: {max_params: 30000, max_macs: 2000000}
                stop: {max_evaluations: %d}
                fidelity: {epochs: 1, train_size: 200, val_size: 100, batch_size: 50}
                db: "%s"
                """.formatted(NAME, evaluations(), db()));
        Random random = new Random(seed);
        Map<Integer, String> seen = new HashMap<>(); // seq -> "candidate id/evaluation id" as the reader saw it
        List<String> lost = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int afterSeen = 0;
        int done = 0;
        for (int k = 0; k < kills; k++) {
            boolean first = !Files.exists(ResultsStore.normalise(db()));
            Process p = start(first ? List.of("search", yaml.toString(), "--quiet")
                    : List.of("search", "--resume", NAME, "--db", db().toString(), "--quiet"), k);
            boolean onSeen = k % 2 == 0;
            // random moments from JVM start-up (lock recovery, migration) into the first trainings; short enough
            // that on an idle machine the run cannot finish the campaign before its kill
            long delayMs = 300 + random.nextInt(2500);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(onSeen ? 120_000 : delayMs);
            int seenAtStart = seen.size();
            while (p.isAlive() && System.nanoTime() < deadline && !(onSeen && seen.size() > seenAtStart)) {
                read(seen);
                Thread.sleep(random.nextInt(40));
            }
            if (onSeen && seen.size() > seenAtStart) afterSeen++;
            if (!p.isAlive()) {
                String out = Files.readString(dir.resolve("child-" + k + ".out")).strip();
                // a resume must never give up because this reader had the file open when it started (FileOwnership)
                problems.add("run " + k + " ended by itself (exit " + p.exitValue() + ") before its kill: " + out);
                break;
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
            done++;
            Map<Integer, String> after = new HashMap<>();
            if (Files.exists(ResultsStore.normalise(db()))) read(after);
            for (var e : seen.entrySet()) {
                if (!e.getValue().equals(after.get(e.getKey()))) {
                    lost.add("kill " + k + ": seq " + e.getKey() + " seen as " + e.getValue() + ", after the kill " + after.get(e.getKey()));
                }
            }
        }
        // finish the campaign; then every seq is there once and nothing that was stored was trained again
        int rc = Main.run("search", "--resume", NAME, "--db", db().toString(), "--quiet");
        if (rc != 0) problems.add("final resume exited " + rc);
        try (ResultsStore store = ResultsStore.openExisting(db())) {
            CampaignRow c = store.campaign(NAME).orElseThrow();
            if (!c.status().equals("finished")) problems.add("campaign is " + c.status() + " after the final resume");
            List<CandidateRow> rows = store.candidates(c.id());
            List<Integer> seqs = rows.stream().map(CandidateRow::seq).toList();
            List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, evaluations()).boxed().toList();
            if (!seqs.equals(expected)) problems.add("seqs are " + seqs + ", expected 1.." + evaluations());
            long trained = rows.stream().filter(r -> !r.cached()).count();
            try (Statement st = store.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM evaluation WHERE status <> 'interrupted'")) {
                rs.next();
                if (rs.getLong(1) != trained) problems.add(rs.getLong(1) + " evaluations for " + trained + " trained candidates");
            }
            for (CandidateRow r : rows) {
                String was = seen.get(r.seq());
                if (was != null && !was.equals(r.id() + "/" + r.evaluationId())) {
                    problems.add("seq " + r.seq() + " was " + was + " when seen, " + r.id() + "/" + r.evaluationId() + " at the end");
                }
            }
        }
        return new Report(done, afterSeen, seen.size(), evaluations(), lost, problems, (System.nanoTime() - t0) / 1e9);
    }

    private final static AtomicInteger READS = new AtomicInteger();

    /** Reads the campaign's candidates as another process would ({@code ./nas db ...}) while the search runs. */
    private void read(Map<Integer, String> into) {
        READS.incrementAndGet();
        try (ResultsStore store = ResultsStore.openExisting(db())) {
            var c = store.campaign(NAME);
            if (c.isEmpty()) return;
            for (CandidateRow r : store.candidates(c.get().id())) into.put(r.seq(), r.id() + "/" + r.evaluationId());
        } catch (StoreException e) {
            // the file exists before its schema does, or the search holds it mid-start; read again
        }
    }

    private Process start(List<String> args, int k) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.anynas.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + k + ".out").toFile()).start();
    }

    /** The record for bench/results: one line per number, then what went wrong, if anything. */
    static String markdown(Report r, String date, String machine) {
        StringBuilder s = new StringBuilder("# Durability under kill -9 — " + date + "\n\n");
        s.append("Machine: ").append(machine).append("\n\n");
        s.append("A real campaign process (synthetic data, 1-epoch proxy) was SIGKILLed ").append(r.kills())
                .append(" times and resumed each time, with a reader polling its database throughout; ")
                .append(r.killsAfterSeen()).append(" of the kills came right after the reader saw a new candidate.\n\n");
        s.append("| kills | candidates seen committed | lost after a kill | evaluations | problems | seconds |\n");
        s.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        s.append("| %d | %d | %d | %d | %d | %.0f |%n".formatted(r.kills(), r.seen(), r.lost().size(), r.evaluations(),
                r.problems().size(), r.seconds()));
        for (String l : r.lost()) s.append("\n- lost: ").append(l);
        for (String p : r.problems()) s.append("\n- problem: ").append(p);
        return s.append('\n').toString();
    }
}
