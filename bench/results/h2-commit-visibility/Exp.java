import java.sql.*;
import java.nio.file.*;
import java.util.concurrent.TimeUnit;

public class Exp {
    static final boolean FIX = Boolean.getBoolean("fix");
    public static void main(String[] a) throws Exception {
        if (a[0].equals("writer")) writer(a[1], Integer.parseInt(a[2])); else parent(a[1], Integer.parseInt(a[2]), a[3]);
    }
    static String url(String base) { return "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;WRITE_DELAY=0"; }
    static void writer(String base, int rowsPerTx) throws Exception {
        try (Connection c = DriverManager.getConnection(url(base), "sa", "")) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t(id BIGINT PRIMARY KEY, tx INT, pad VARCHAR(2000))");
            c.setAutoCommit(false);
            int tx = 0;
            ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(tx),0) FROM t"); rs.next(); tx = rs.getInt(1);
            long id = tx * 100000L;
            for (int b = 0; b < 3; b++) { Thread t = new Thread(() -> { double x = 0; while (true) { for (int i = 0; i < 1_000_000; i++) x += Math.sqrt(i); if (x == 1) System.out.print(""); } }); t.setDaemon(true); t.start(); }
            System.out.println("ready"); System.out.flush();
            while (true) {
                tx++;
                if (FIX) c.createStatement().execute("SET EXCLUSIVE 1");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?,?,?)")) {
                    for (int i = 0; i < rowsPerTx; i++) { ps.setLong(1, ++id); ps.setInt(2, tx); ps.setString(3, "x".repeat(1000)); ps.executeUpdate(); }
                }
                c.commit();
                if (FIX) { c.setAutoCommit(true); c.createStatement().execute("SET EXCLUSIVE 0"); c.setAutoCommit(false); }
                Thread.sleep(5);
            }
        }
    }
    static Connection open(String base) throws Exception {
        for (int i = 0; ; i++) { try { return DriverManager.getConnection(url(base) + ";IFEXISTS=TRUE", "sa", ""); } catch (SQLException e) { if (e.getErrorCode() != 90135 || i > 200) throw e; Thread.sleep(20); } }
    }
    static void parent(String base, int trials, String cp) throws Exception {
        int lost = 0;
        for (int k = 0; k < trials; k++) {
            Connection owner = false && Files.exists(Path.of(base + ".mv.db")) ? DriverManager.getConnection(url(base), "sa", "") : null;
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dfix=" + FIX, "-cp", cp, "Exp", "writer", base, "200")
                .redirectErrorStream(true).start();
            p.getInputStream().read(); // wait for ready
            Thread.sleep(200);
            if (owner != null) owner.close();
            Thread.sleep(200);
            int seen;
            try (Connection r = open(base)) {
                ResultSet rs = r.createStatement().executeQuery("SELECT COALESCE(MAX(tx),0) FROM t"); rs.next(); int first = rs.getInt(1);
                seen = first;
                while (seen == first) { rs = r.createStatement().executeQuery("SELECT COALESCE(MAX(tx),0) FROM t"); rs.next(); seen = rs.getInt(1); }
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            try (Connection r = DriverManager.getConnection(url(base) + ";IFEXISTS=TRUE", "sa", "")) {
                ResultSet rs = r.createStatement().executeQuery("SELECT COALESCE(MAX(tx),0) FROM t"); rs.next();
                int after = rs.getInt(1);
                if (after < seen) lost++;
                System.out.println("trial " + k + (owner != null ? " reader-owned" : " writer-owned") + " seen " + seen + " after " + after + (after < seen ? "  LOST" : ""));
            }
        }
        System.out.println("lost " + lost + " of " + trials);
    }
}
