package debrief.engine;

import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** Commands that never change data: they neither commit nor wait for a commit under way. */
    private static final Set<String> READS = Set.of("find", "getmore", "count", "distinct", "listcollections", "listindexes", "killcursors",
        "endsessions", "hello", "ismaster", "ping", "buildinfo", "dbstats", "collstats", "serverstatus", "getparameter", "connectionstatus",
        "getlasterror", "whatsmyuri", "hostinfo", "listdatabases", "getlog", "getcmdlineopts");

    private static boolean readsOnly(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (READS.contains(name)) return true;
        // An aggregation writes only through $out or $merge.
        return name.equals("aggregate") && query.get("pipeline") instanceof List<?> stages
            && stages.stream().noneMatch(s -> s instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge")));
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        // A read must not wait behind another client's sync (up to 30 ms on a busy disk): pages would pay
        // for the job worker's writes.
        if (readsOnly(command, query)) return super.handleCommand(channel, database, command, query);
        // A write sent with writeConcern {j: false} asked, as on MongoDB, to be acknowledged before it is
        // journaled: the next synced commit carries it to the disk.
        if (unjournaled(query)) return super.handleCommand(channel, database, command, query);
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            // In finally: a write that failed part-way (say, the third insert of a batch hit a unique
            // index) has still changed what the client will be told of.
            makeDurable();
        }
    }

    private static boolean unjournaled(Document query) {
        return query.get("writeConcern") instanceof Document concern && Boolean.FALSE.equals(concern.get("j"));
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
