package org.anynas.db;

import java.util.List;

/** Column names and rows of an ad-hoc query (values as JDBC returns them; null for SQL NULL). */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
}
