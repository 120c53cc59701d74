package org.octgateway.state;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.octgateway.BackgroundStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store's lifecycle as a Camel service: its schema is migrated (Flyway, db/migration) before any route
 * starts, and its pool closes after the routes stopped (services stop after routes, in reverse order of adding).
 * <p>
 * The migration runs on a thread of its own from the moment the service is initialised (when it is added to the
 * context, before Camel builds the routes): opening H2 and Flyway's first run take 0.5–0.9 s of a cold start, which
 * then overlap the route building. {@link #doStart} waits for it and fails as it failed.
 */
final class StateStoreStart extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StateStoreStart.class);

    private final HikariDataSource dataSource;
    /** Writes what is still to be written (the records handed to the state-recorder) before the pool closes. */
    private final Runnable beforeClose;
    private volatile BackgroundStart<MigrateResult> migration;

    StateStoreStart(HikariDataSource dataSource, Runnable beforeClose) {
        this.dataSource = dataSource;
        this.beforeClose = beforeClose;
    }

    @Override
    protected void doInit() {
        migration = BackgroundStart.begin("state-store-migration",
                () -> Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate());
    }

    @Override
    protected void doStart() throws Exception {
        if (migration == null) {
            doInit(); // started again after a stop
        }
        MigrateResult result = migration.await();
        LOG.info("State store schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion, result.migrationsExecuted);
    }

    @Override
    protected void doStop() {
        BackgroundStart<MigrateResult> migrating = migration;
        migration = null;
        if (migrating != null) {
            migrating.awaitEnd(); // a migration still under way (the context failed to start meanwhile) ends first
        }
        beforeClose.run();
        dataSource.close();
    }
}
