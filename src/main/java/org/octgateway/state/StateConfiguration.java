package org.octgateway.state;

import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.octgateway.PrivateDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state store: a pooled DataSource (HikariCP) on gateway.db.url (PostgreSQL in deployments), or on an embedded
 * H2 file under gateway.data-dir when the setting is empty; its schema migrated by Flyway at startup
 * (db/migration, see StateStoreStart); the repository beans the pipeline and the API call. Every bean is lazy: made once, on first use.
 */
public class StateConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(StateConfiguration.class);

    /**
     * The pool: sized to the threads that write states at once (job consumers, webhook deliveries, a few REST requests and
     * the sweepers) unless gateway.db.pool-size says otherwise. Credentials are never logged.
     */
    @BindToRegistry(value = "stateDataSource", lazy = true)
    public HikariDataSource stateDataSource(@PropertyInject("gateway.db.url") String url,
            @PropertyInject("gateway.db.username") String username, @PropertyInject("gateway.db.password") String password,
            @PropertyInject("gateway.db.pool-size") String poolSize, @PropertyInject("gateway.data-dir") String dataDir,
            @PropertyInject("gateway.inference.concurrency") int workers,
            @PropertyInject("gateway.worker.jobs-ahead") int jobsAhead,
            @PropertyInject("gateway.webhook.concurrency") int deliveries,
            @PropertyInject("gateway.broker.url") String brokerUrl) {
        HikariConfig config = new HikariConfig();
        boolean embedded = url == null || url.isBlank();
        if (embedded && !brokerUrl.isBlank()) {
            // other gateways on that broker run this one's jobs, and their state writes go to their own files
            LOG.warn("The state store is this gateway's own embedded H2, but the broker is external: if other gateways"
                    + " share that broker, set the same gateway.db.url (PostgreSQL) on all of them, or records of jobs"
                    + " they run stay 'queued' here and folders' exam_completed is not sent (docs/operations.md)");
        }
        // H2 file mode: WRITE_DELAY=0 writes each commit to the file at once (a kill -9 loses no committed state; the
        // OS keeps it); DB_CLOSE_ON_EXIT=FALSE leaves closing to the pool, after the routes stopped.
        // The embedded database's directory is owner-only: its records hold webhook URLs, which may carry tokens.
        config.setJdbcUrl(embedded ? "jdbc:h2:file:" + PrivateDirectory.restrict(Path.of(dataDir, "state")).resolve("gateway")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" : url.strip());
        if (username != null && !username.isBlank()) {
            config.setUsername(username);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize == null || poolSize.isBlank() ? workers + jobsAhead + deliveries + 4 : Integer.parseInt(poolSize.strip()));
        config.setPoolName("gateway-state");
        config.setConnectionTimeout(10_000);
        // the pool starts even while the database is unreachable; the migration below reports it
        config.setInitializationFailTimeout(-1);
        LOG.info("State store: {} (pool of {})", embedded ? "embedded H2 under " + Path.of(dataDir, "state")
                : "gateway.db.url " + url.replaceAll("(?i)password=[^&;]*", "password=***"), config.getMaximumPoolSize());
        return new HikariDataSource(config);
    }

    @BindToRegistry(lazy = true)
    public RequestStates requestStates(HikariDataSource stateDataSource,
            @PropertyInject("gateway.request.ttl-seconds") long ttlSeconds) {
        return new RequestStates(new Sql(stateDataSource), ttlSeconds);
    }

    @BindToRegistry(lazy = true)
    public ExamCompletion examCompletion(HikariDataSource stateDataSource,
            @PropertyInject("gateway.exam.claim-grace-ms") long graceMillis) {
        return new ExamCompletion(new Sql(stateDataSource), graceMillis);
    }

    @BindToRegistry(lazy = true)
    public Idempotency idempotency(HikariDataSource stateDataSource,
            @PropertyInject("gateway.idempotency.ttl-seconds") long ttlSeconds) {
        return new Idempotency(new Sql(stateDataSource), ttlSeconds);
    }

    @BindToRegistry(lazy = true)
    public StatePurge statePurge(RequestStates requestStates, Idempotency idempotency,
            @PropertyInject("gateway.db.retention-days") int retentionDays) {
        return new StatePurge(requestStates, idempotency, Duration.ofDays(retentionDays));
    }

    /** The schema is migrated before any route starts (see StateStoreStart); the gauges are registered once the context started. */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        HikariDataSource dataSource = camelContext.getRegistry().lookupByNameAndType("stateDataSource", HikariDataSource.class);
        camelContext.addService(new StateStoreStart(dataSource), true, true);
        camelContext.addStartupListener(new RequestStateGauges(
                () -> camelContext.getRegistry().lookupByNameAndType("requestStates", RequestStates.class).countsByState()));
    }
}
