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

/** The H2 database with Debrief's indexes (OrderedIndex, SupersetIndex) and a $match pushed to them. */
final class DebriefDatabase extends H2Database {

    // H2Database opens its collections from its own constructor, before a field of this class is set, and
    // keeps its store private: the one store of this process is handed over here.
    private static volatile MVStore store;

    // The map names H2Database gives a collection's documents and its metadata (private there).
    private static final String DATA_MAP_PREFIX = "databases.";
    private static final String META_MAP_PREFIX = "meta.";

    // The collections the constructor opens: their ordered indexes are filled afterwards, one pass over a
    // collection's documents for all of them (the engine makes two passes per index: at 50,000 deals with
    // nine indexes, a start under load took minutes).
    // Per thread: only what this thread's constructor opens is deferred (another thread may create an index
    // in another database meanwhile, which must be filled at once).
    private static final ThreadLocal<List<DebriefCollection>> opening = new ThreadLocal<>();

    private DebriefDatabase(String name, CursorRegistry cursors) {
        super(name, store, cursors);
    }

    static DebriefDatabase open(String name, MVStore mvStore, CursorRegistry cursors) {
        store = mvStore;
        List<DebriefCollection> opened = new java.util.ArrayList<>();
        opening.set(opened);
        try {
            DebriefDatabase database = new DebriefDatabase(name, cursors);
            opening.remove();
            for (DebriefCollection collection : opened) collection.fillDeferredIndexes();
            return database;
        } finally {
            opening.remove();
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = store.openMap(DATA_MAP_PREFIX + fullName);
        MVMap<String, Object> meta = store.openMap(META_MAP_PREFIX + fullName);
        DebriefCollection collection = new DebriefCollection(this, collectionName, options, data, meta, cursorRegistry);
        List<DebriefCollection> opened = opening.get();
        if (opened != null) opened.add(collection);
        return collection;
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new SupersetIndex(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse), sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new OrderedIndex(indexName, keys, sparse, opening.get() != null);
    }

    /** The $sort right after the $match, and how many sorted documents the stages after it read ($skip + $limit). */
    private static DebriefCollection.Hint hintFor(Document match, List<?> pipeline) {
        if (pipeline.size() < 2 || !(pipeline.get(1) instanceof Document stage) || !(stage.get("$sort") instanceof Document sort)) {
            return new DebriefCollection.Hint(match, null, Long.MAX_VALUE);
        }
        long first = Long.MAX_VALUE;
        long skipped = 0;
        for (Object next : pipeline.subList(2, pipeline.size())) {
            if (next instanceof Document d && d.size() == 1 && d.get("$skip") instanceof Number n) {
                skipped += n.longValue();
            } else if (next instanceof Document d && d.size() == 1 && d.get("$limit") instanceof Number n) {
                first = skipped + n.longValue();
                break;
            } else {
                break;
            }
        }
        return new DebriefCollection.Hint(match, sort, first);
    }

    private static boolean isCountGroup(Document stage) {
        return stage.size() == 1 && stage.get("$group") instanceof Document group && group.size() == 2
            && group.get("_id") instanceof Number one && one.intValue() == 1
            && group.get("n") instanceof Document n && n.size() == 1 && n.get("$sum") instanceof Number sum && sum.intValue() == 1;
    }

    private Document countResponse(String collectionName, long n) {
        List<Document> batch = n == 0 ? List.of() : List.of(new Document("_id", 1).append("n", n > Integer.MAX_VALUE ? (Object) n : (Object) (int) n));
        Document cursor = new Document("id", 0L).append("ns", getFullCollectionNamespace(collectionName)).append("firstBatch", batch);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
        if (command.equalsIgnoreCase("aggregate") && query.get("aggregate") instanceof String collectionName
            && query.get("pipeline") instanceof List<?> pipeline && !pipeline.isEmpty()
            && pipeline.get(0) instanceof Document first && first.get("$match") instanceof Document match
            && resolveCollection(collectionName, false) instanceof DebriefCollection collection) {
            // countDocuments(filter) is [{$match}, {$group: {_id: 1, n: {$sum: 1}}}]: answered without reading documents when it can be.
            if (pipeline.size() == 2 && pipeline.get(1) instanceof Document group && isCountGroup(group)) {
                long n = collection.countWithoutReading(match);
                if (n >= 0) return countResponse(collectionName, n);
            }
            return collection.withMatchHint(hintFor(match, pipeline), () -> super.handleCommand(channel, command, query, resolver, oplog));
        }
        return super.handleCommand(channel, command, query, resolver, oplog);
    }
}
