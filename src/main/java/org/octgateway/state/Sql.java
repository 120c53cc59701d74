package org.octgateway.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.octgateway.contract.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The few JDBC shapes the state store uses (one statement, auto-commit), so its classes read as their SQL. */
final class Sql {

    /** Reads one row of a result set. */
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Sql.class);
    /** SQLState of a unique constraint violation, in PostgreSQL and H2 alike (SQL standard class 23). */
    static final String UNIQUE_VIOLATION = "23505";

    private final DataSource db;
    /** Whether db is the embedded H2 file, whose commits need {@link EmbeddedStoreHeader} to survive a kill -9. */
    private final boolean embeddedH2;

    /** Statements on an external database (PostgreSQL), which makes its own commits durable. */
    Sql(DataSource db) {
        this(db, false);
    }

    private Sql(DataSource db, boolean embeddedH2) {
        this.db = db;
        this.embeddedH2 = embeddedH2;
    }

    /** Statements on the embedded H2 file StateConfiguration opens. */
    static Sql embeddedH2(DataSource db) {
        EmbeddedStoreHeader.check();
        return new Sql(db, true);
    }

    DataSource dataSource() {
        return db;
    }

    /** Runs one INSERT/UPDATE/DELETE; the number of rows it changed. */
    int update(String sql, Object... parameters) {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            int changed = statement.executeUpdate();
            committed(connection);
            return changed;
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
    }

    /**
     * To be called after each commit on {@code connection}, before its caller learns that the commit returned: on the
     * embedded H2 it makes the commit findable after a kill -9 (EmbeddedStoreHeader).
     */
    void committed(Connection connection) throws SQLException {
        if (embeddedH2) {
            EmbeddedStoreHeader.pointAtNewestChunk(connection);
        }
    }

    /** Statements that commit together. */
    interface Transaction {
        /** Runs one INSERT/UPDATE/DELETE in the transaction; the number of rows it changed. */
        int update(String sql, Object... parameters) throws SQLException;
    }

    interface Work {
        void run(Transaction transaction) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    void inTransaction(Work work) {
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run((sql, parameters) -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        bind(statement, parameters);
                        return statement.executeUpdate();
                    }
                });
                connection.commit();
                committed(connection);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
    }

    /** Runs one INSERT; false when a row with its key exists already (a unique constraint refused it). */
    boolean insertIfAbsent(String sql, Object... parameters) {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            boolean inserted = statement.executeUpdate() == 1;
            committed(connection);
            return inserted;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
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

    /**
     * The state store could not be reached or refused a statement. A caller's request answers 503 with it (it is an
     * ApiError); the cause is logged here, without the statement's values, and nowhere else.
     */
    static final class StateStoreException extends ApiError {
        StateStoreException(SQLException cause) {
            super(503, "state_store_unavailable", "The gateway's state store is unavailable; nothing was changed. Try again later.");
            LOG.warn("State store statement failed: SQLState {} ({}: {})", cause.getSQLState(), cause.getClass().getSimpleName(),
                    cause.getMessage());
        }
    }
}
