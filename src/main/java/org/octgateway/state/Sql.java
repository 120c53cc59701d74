package org.octgateway.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** The few JDBC shapes the state store uses (one statement, auto-commit), so its classes read as their SQL. */
final class Sql {

    /** Reads one row of a result set. */
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final DataSource db;

    Sql(DataSource db) {
        this.db = db;
    }

    DataSource dataSource() {
        return db;
    }

    /** Runs one INSERT/UPDATE/DELETE; the number of rows it changed. */
    int update(String sql, Object... parameters) {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
    }

    <T> List<T> list(String sql, Row<T> reader, Object... parameters) {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(reader.read(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
    }

    <T> Optional<T> one(String sql, Row<T> reader, Object... parameters) {
        return list(sql, reader, parameters).stream().findFirst();
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    /** The state store could not be reached or refused a statement (the message names no secret). */
    static final class StateStoreException extends RuntimeException {
        StateStoreException(SQLException cause) {
            super("the state store failed: " + cause.getSQLState() + " " + cause.getClass().getSimpleName(), cause);
        }
    }
}
