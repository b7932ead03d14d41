package org.anynas.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The JDBC of the results database: queries, updates, binding, and failures turned into one-line {@link StoreException}s. */
final class Sql {
    private final Connection connection;
    private final Path file;

    Sql(Connection connection, Path file) {
        this.connection = connection;
        this.file = file;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("query failed on " + file + ": " + firstLine(e), e);
        }
    }

    void update(String sql, Object... args) {
        updateCount(sql, args);
    }

    int updateCount(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw writeFailed("write failed on " + file, e);
        }
    }

    private static final int READ_ONLY = 90097; // org.h2.api.ErrorCode.DATABASE_IS_READ_ONLY

    /**
     * One line for a failed write. A read-only file and a full disk (or file-size limit) say what to do; H2
     * wrote nothing of the failed transaction, and what it committed before is intact and opens again.
     */
    StoreException writeFailed(String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == READ_ONLY) {
                return new StoreException(file + " is read-only: make it writable (chmod u+w " + file
                        + "), or copy it somewhere writable and pass --db with the copy", e);
            }
        }
        if (diskFull(e) != null) {
            return new StoreException("cannot write " + file + ": the disk is full (" + diskFull(e) + "); free some space, "
                    + "then continue with ./nas search --resume", e);
        }
        return new StoreException(what + ": " + firstLine(e), e);
    }

    /** The operating system's words if a write failed for want of space (or a file-size limit), else null. */
    static String diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            for (String words : List.of("No space left on device", "File too large", "Disk quota exceeded")) {
                if (m.contains(words)) return words;
            }
        }
        return null;
    }

    /** H2 appends the SQL statement and error code on further lines; a user reads the first. */
    static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceAll(";? ?SQL statement:$", "").strip();
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Double d && !Double.isFinite(d)) {
                ps.setNull(i + 1, Types.DOUBLE); // NaN means "not measured"
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, Types.BIGINT);
        else ps.setLong(index, value);
    }

    static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) throw new SQLException("no generated key");
            return keys.getLong(1);
        }
    }

    static double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // nothing more to undo on a broken connection
        }
    }
}
