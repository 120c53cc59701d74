package org.octgateway.state;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Makes each commit to the embedded H2 file findable after a kill -9: after the commit, the file's store header points
 * at the newest chunk.
 * <p>
 * Why: after an unclean stop H2 starts from the chunk its store header names and follows each chunk's prediction of
 * where the next one goes. Once H2 reuses free space (EmbeddedStoreCompaction frees chunks; H2 alone does it too, later)
 * a chunk often lands elsewhere. H2 then rewrites the header, but H2 2.2–2.5 names the chunk <em>before</em> the
 * one it just wrote (FileStore.storeBuffer sets lastChunk only after RandomAccessStore.writeChunk wrote the header).
 * That chunk and every chunk after it until the next header write, up to 20 commits, are then not found: their commits
 * had returned, and are gone after the restart. Without this step, KilledStateStoreTest found 53 of 60 returned commits
 * missing, and StateStoreKillBench (kill -9 at random moments) lost returned steps of 3–6 jobs in 3 of 8 kills; with
 * it, none.
 * <p>
 * The header write is two 4 KB blocks at the start of the file, done under H2's own chunk-save lock, only when the
 * header is behind. It uses H2 internals (a field and a private method, checked by {@link #check()} at start).
 */
final class EmbeddedStoreHeader {

    private static final Field SAVE_CHUNK_LOCK = field("saveChunkLock");
    private static final Field STORE_HEADER = field("storeHeader");
    private static final Method WRITE_STORE_HEADER = writeStoreHeader();
    /** The store header's key for the version of the chunk it names (H2's FileStore.HDR_VERSION). */
    private static final String HEADER_VERSION = "version";

    private EmbeddedStoreHeader() {
    }

    /** Fails when this H2 no longer has what {@link #pointAtNewestChunk} uses: the state store should not start then. */
    static void check() {
        if (SAVE_CHUNK_LOCK == null || STORE_HEADER == null || WRITE_STORE_HEADER == null) {
            throw new IllegalStateException("This H2 version lacks the store-header internals EmbeddedStoreHeader uses"
                    + " (FileStore.saveChunkLock, FileStore.storeHeader, RandomAccessStore.writeStoreHeader()): the embedded"
                    + " state store could lose commits at a kill -9. Use the H2 version in pom.xml, or gateway.db.url.");
        }
    }

    /** After a commit on {@code connection}: writes the store header if it does not name the newest chunk. */
    static void pointAtNewestChunk(Connection connection) throws SQLException {
        pointAtNewestChunk(mvStore(connection));
    }

    /** Writes {@code store}'s header if it does not name the newest chunk. */
    static void pointAtNewestChunk(MVStore store) throws SQLException {
        FileStore<?> file = store.getFileStore();
        if (!(file instanceof RandomAccessStore) || store.isClosed()) {
            return;
        }
        try {
            ReentrantLock saveChunkLock = (ReentrantLock) SAVE_CHUNK_LOCK.get(file);
            saveChunkLock.lock();
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> header = (Map<String, Object>) STORE_HEADER.get(file);
                long newest = file.lastChunkVersion();
                if (newest != 0 && DataUtils.readHexLong(header, HEADER_VERSION, 0) != newest && !store.isClosed()) {
                    WRITE_STORE_HEADER.invoke(file);
                }
            } finally {
                saveChunkLock.unlock();
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new SQLException("Could not write the embedded state store's header", e.getCause());
        }
    }

    /** The MVStore under a connection to the embedded H2 (EmbeddedStoreCompaction's too). */
    static MVStore mvStore(Connection connection) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore();
    }

    private static Field field(String name) {
        try {
            Field field = FileStore.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method writeStoreHeader() {
        try {
            Method method = RandomAccessStore.class.getDeclaredMethod("writeStoreHeader");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
