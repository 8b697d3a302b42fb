package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Plain JDBC statements with positional parameters, as the engines here run them. */
final class JdbcStatements {

	private JdbcStatements() {
	}

	static int update(Connection connection, String sql, @Nullable Object... parameters) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, parameters)) {
			return statement.executeUpdate();
		}
	}

	static List<Object[]> query(Connection connection, String sql, @Nullable Object... parameters) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet rows = statement.executeQuery()) {
			List<Object[]> result = new ArrayList<>();
			ResultSetMetaData columns = rows.getMetaData();
			while (rows.next()) {
				Object[] row = new Object[columns.getColumnCount()];
				for (int i = 0; i < row.length; i++) {
					row[i] = (columns.getColumnType(i + 1) == Types.CLOB) ? rows.getString(i + 1)
							: rows.getObject(i + 1);
				}
				result.add(row);
			}
			return result;
		}
	}

	static PreparedStatement prepare(Connection connection, String sql, @Nullable Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
		return statement;
	}

}
