package debrief.engine;

import java.util.List;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The H2 backend, with Debrief's indexes (DebriefDatabase) and one promise added: a command that changed anything is committed to the file and
 * synced before its reply leaves, so an acknowledged write survives a kill -9 or a power cut. Commits
 * are grouped: a writer whose changes a concurrent commit already covered does not sync again.
 */
final class DurableBackend extends H2Backend {

    /** Reports MongoDB 6.0 (wire version 17): the Node driver 7 refuses the 5.0 that 1.47 reports. */
    static final MongoVersion VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(6, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 17;
        }
    };

    private final MVStore store;
    private final Object syncLock = new Object();
    private long durableVersion = -1;

    DurableBackend(MVStore store) {
        super(store);
        this.store = store;
        version(VERSION);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return DebriefDatabase.open(databaseName, getMvStore(), getCursorRegistry()); // getMvStore(): called from the super constructor, before our fields are set
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            // In finally: a write that failed part-way (say, the third insert of a batch hit a unique
            // index) has still changed what the client will be told of.
            makeDurable();
        }
    }

    private void makeDurable() {
        if (!store.hasUnsavedChanges()) {
            // Nothing of ours is pending, but a commit holding our change may still be syncing: wait for it.
            synchronized (syncLock) {
                return;
            }
        }
        long mine = store.getCurrentVersion();
        synchronized (syncLock) {
            if (durableVersion > mine) return; // a commit after our change already reached the disk
            long committed = store.commit();
            store.sync();
            durableVersion = committed;
        }
    }
}
