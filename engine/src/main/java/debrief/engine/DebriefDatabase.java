package debrief.engine;

import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/** The H2 database with Debrief's indexes (EqualityIndex, SupersetIndex) and a $match pushed to them. */
final class DebriefDatabase extends H2Database {

    // H2Database opens its collections from its own constructor, before a field of this class is set, and
    // keeps its store private: the one store of this process is handed over here.
    private static volatile MVStore store;

    // The map names H2Database gives a collection's documents and its metadata (private there).
    private static final String DATA_MAP_PREFIX = "databases.";
    private static final String META_MAP_PREFIX = "meta.";

    private DebriefDatabase(String name, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    static DebriefDatabase open(String name, MVStore mvStore, CursorRegistry cursors) {
        store = mvStore;
        return new DebriefDatabase(name, cursors);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = store.openMap(DATA_MAP_PREFIX + fullName);
        MVMap<String, Object> meta = store.openMap(META_MAP_PREFIX + fullName);
        return new DebriefCollection(this, collectionName, options, data, meta, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new SupersetIndex(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse), sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new EqualityIndex(indexName, keys, sparse);
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
        if (command.equalsIgnoreCase("aggregate") && query.get("aggregate") instanceof String collectionName
            && query.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
            && pipeline.get(0) instanceof Document first && first.get("$match") instanceof Document match
            && resolveCollection(collectionName, false) instanceof DebriefCollection collection) {
            return collection.withMatchHint(match, () -> super.handleCommand(channel, command, query, resolver, oplog));
        }
        return super.handleCommand(channel, command, query, resolver, oplog);
    }
}
