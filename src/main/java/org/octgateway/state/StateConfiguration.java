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
        boolean embedded = isEmbedded(url);
        if (embedded && !brokerUrl.isBlank()) {
            // other gateways on that broker run this one's jobs, and their state writes go to their own files
            LOG.warn("The state store is this gateway's own embedded H2, but the broker is external: if other gateways"
                    + " share that broker, set the same gateway.db.url (PostgreSQL) on all of them, or records of jobs"
                    + " they run stay 'queued' here and folders' exam_completed is not sent (docs/operations.md)");
        }
        // H2 file mode: WRITE_DELAY=0 writes each commit to the file at once (a kill -9 loses no committed state; the
        // OS keeps it), and so H2 never compacts the file itself: EmbeddedStoreCompaction does, and forces the file to
        // disk, every gateway.db.compaction-interval-ms. PAGE_SIZE=4096 splits pages at 4 KB instead of 16, so a commit
        // rewrites less. StateStoreBench, 40,000 upload jobs at 400/s: without both, the file reached 2.4 GB (109 KB
        // written and 1.08 ms CPU per job); with both, 0.23 GB (75 KB, 0.86 ms).
        // DB_CLOSE_ON_EXIT=FALSE leaves closing to the pool, after the routes stopped.
        // The embedded database's directory is owner-only: its records hold webhook URLs, which may carry tokens.
        config.setJdbcUrl(embedded ? "jdbc:h2:file:" + PrivateDirectory.restrict(Path.of(dataDir, "state")).resolve("gateway")
                + ";WRITE_DELAY=0;PAGE_SIZE=4096;DB_CLOSE_ON_EXIT=FALSE" : url.strip());
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

    /** The statements of RequestStates, ExamCompletion and Idempotency, on the embedded H2 or gateway.db.url's database. */
    @BindToRegistry(lazy = true)
    public Sql stateSql(HikariDataSource stateDataSource, @PropertyInject("gateway.db.url") String url) {
        return isEmbedded(url) ? Sql.embeddedH2(stateDataSource) : new Sql(stateDataSource);
    }

    @BindToRegistry(lazy = true)
    public RequestStates requestStates(Sql stateSql,
            @PropertyInject("gateway.request.ttl-seconds") long ttlSeconds) {
        return new RequestStates(stateSql, ttlSeconds);
    }

    @BindToRegistry(lazy = true)
    public ExamCompletion examCompletion(Sql stateSql,
            @PropertyInject("gateway.exam.claim-grace-ms") long graceMillis) {
        return new ExamCompletion(stateSql, graceMillis);
    }

    @BindToRegistry(lazy = true)
    public Idempotency idempotency(Sql stateSql,
            @PropertyInject("gateway.idempotency.ttl-seconds") long ttlSeconds) {
        return new Idempotency(stateSql, ttlSeconds);
    }

    @BindToRegistry(lazy = true)
    public StatePurge statePurge(RequestStates requestStates, Idempotency idempotency,
            @PropertyInject("gateway.db.retention-days") int retentionDays) {
        return new StatePurge(requestStates, idempotency, Duration.ofDays(retentionDays));
    }

    /** Whether the store is the embedded H2: gateway.db.url is empty. */
    static boolean isEmbedded(String url) {
        return url == null || url.isBlank();
    }

    /** Used by the embedded-store-compaction route, which exists only when the store is the embedded H2 (StateRoutes). */
    @BindToRegistry(lazy = true)
    public EmbeddedStoreCompaction embeddedStoreCompaction(HikariDataSource stateDataSource) {
        return new EmbeddedStoreCompaction(stateDataSource, COMPACTION_TARGET_FILL_RATE, COMPACTION_WRITE_LIMIT_BYTES,
                COMPACTION_RETENTION_MS);
    }

    /**
     * Chunks under 80 % live are rewritten (H2's own housekeeping aims at 81 % while the store is busy), 4 MB of live
     * pages per round (a round holds H2's store lock, so commits wait for at most one). A chunk emptied may be
     * overwritten once it is 5 s old: the file is forced to disk every second by then, and H2 does not sync its
     * commits itself, whatever its retention time (45 s by default).
     */
    private static final int COMPACTION_TARGET_FILL_RATE = 80;
    private static final int COMPACTION_WRITE_LIMIT_BYTES = 4 << 20;
    private static final int COMPACTION_RETENTION_MS = 5_000;

    /** The schema is migrated before any route starts (see StateStoreStart); the gauges are registered once the context started. */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        HikariDataSource dataSource = camelContext.getRegistry().lookupByNameAndType("stateDataSource", HikariDataSource.class);
        camelContext.addService(new StateStoreStart(dataSource,
                () -> camelContext.getRegistry().lookupByNameAndType("requestStates", RequestStates.class).close()), true, true);
        camelContext.addStartupListener(new RequestStateGauges(
                () -> camelContext.getRegistry().lookupByNameAndType("requestStates", RequestStates.class).countsByState()));
    }
}
