package org.octgateway.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
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
    private volatile CompletableFuture<MigrateResult> migration;

    StateStoreStart(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected void doInit() {
        CompletableFuture<MigrateResult> migrating = new CompletableFuture<>();
        migration = migrating;
        Thread thread = new Thread(() -> {
            try {
                migrating.complete(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate());
            } catch (Throwable failure) {
                migrating.completeExceptionally(failure);
            }
        }, "state-store-migration");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStart() throws Exception {
        if (migration == null) {
            doInit(); // started again after a stop
        }
        MigrateResult result;
        try {
            result = migration.join();
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
        LOG.info("State store schema at version {} ({} migration(s) applied now)",
                result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion, result.migrationsExecuted);
    }

    @Override
    protected void doStop() {
        CompletableFuture<MigrateResult> migrating = migration;
        migration = null;
        if (migrating != null) {
            // a migration still under way (the context failed to start meanwhile) finishes before the pool closes
            migrating.exceptionally(failed -> null).join();
        }
        dataSource.close();
    }
}
