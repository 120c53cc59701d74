package org.octgateway.state;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.h2.mvstore.MVStore;

/**
 * The embedded H2 file's housekeeping, which H2 itself does not do here. StateConfiguration opens the file with
 * WRITE_DELAY=0 so that each commit is in the file when it returns (kill -9 safe); with that setting H2 starts no
 * background writer, and that thread is what rewrites chunks whose pages are mostly dead. Without it every commit
 * leaves a chunk behind that stays (the file grew ~35 KB per upload job, 3.3 GB after 90,000 jobs, and each commit's
 * cost grew with the chunk count: bench/README, "The state store alone").
 * <p>
 * Each call first forces the file to disk (H2 writes each commit but never fsyncs it), then moves the live pages of
 * the least-filled chunks, {@code writeLimitBytes} at a time, into a new chunk, while the chunks' fill rate is below
 * {@code targetFillRate} percent, and points the store header at the newest chunk (EmbeddedStoreHeader). H2 frees the
 * emptied chunks at a later commit once they are older than its retention time, which this sets to
 * {@code retentionMillis}, and reuses their space (with H2's 45 s default the file levelled off at 2.2 GB, and 1.2 ms
 * of CPU per job, at 400 jobs/s; with 5 s, at 0.23 GB and 0.86 ms: StateStoreBench). It uses MVStore's public API,
 * under H2's store lock as its background writer would; never {@code compactFile}, which sets the retention time to 0
 * (one run in three of 16 committing threads then failed with "Chunk not found").
 */
public class EmbeddedStoreCompaction {

    private final DataSource dataSource;
    private final int targetFillRate;
    private final int writeLimitBytes;
    private final int retentionMillis;

    public EmbeddedStoreCompaction(DataSource dataSource, int targetFillRate, int writeLimitBytes, int retentionMillis) {
        this.dataSource = dataSource;
        this.targetFillRate = targetFillRate;
        this.writeLimitBytes = writeLimitBytes;
        this.retentionMillis = retentionMillis;
    }

    /**
     * Forces the file to disk, then rewrites chunks, {@code writeLimitBytes} of live pages at a time, until none is
     * left to rewrite or {@code budgetMillis} passed (each round holds H2's store lock, so commits wait at most one
     * round); the rounds run.
     */
    public int compact(long budgetMillis) throws SQLException {
        long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
        int rounds = 0;
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = EmbeddedStoreHeader.mvStore(connection);
            // not in the JDBC URL: H2 applies the URL's settings again on every new connection
            store.setRetentionTime(retentionMillis);
            store.sync();
            while (store.compact(targetFillRate, writeLimitBytes)) {
                rounds++;
                if (System.nanoTime() - deadline > 0) {
                    break;
                }
            }
            // the rewritten chunks are found after a kill -9 too (the chunks they emptied will be overwritten)
            EmbeddedStoreHeader.pointAtNewestChunk(store);
        }
        return rounds;
    }
}
