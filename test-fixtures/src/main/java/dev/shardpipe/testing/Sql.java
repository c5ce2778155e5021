package dev.shardpipe.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL ground truth for tests: plain JDBC queries against a shard. */
public final class Sql {

  private Sql() {}

  /**
   * Runs a query and returns every row as a column-name map, in result order.
   *
   * @param jdbcUrl the database
   * @param sql the query, with {@code ?} parameters
   * @param parameters the parameters
   * @return the rows
   */
  public static List<Map<String, Object>> rows(String jdbcUrl, String sql, Object... parameters) {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(meta.getColumnLabel(column), rs.getObject(column));
          }
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /**
   * Runs a query that returns one number, such as {@code SELECT count(*)}.
   *
   * @param jdbcUrl the database
   * @param sql the query
   * @param parameters the parameters
   * @return the first column of the first row
   */
  public static long number(String jdbcUrl, String sql, Object... parameters) {
    List<Map<String, Object>> rows = rows(jdbcUrl, sql, parameters);
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }
}
