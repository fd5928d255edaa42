package debrief.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The H2 collection, with a pipeline's leading $match served by an index: the engine runs every
 * aggregation over the whole collection, so while a pipeline that starts with a $match an index can serve
 * runs, this collection hands it the index's candidates instead (the $match stage still filters them).
 */
final class DebriefCollection extends H2Collection {

    private final List<Index<Object>> indexes = new ArrayList<>();
    /** A pipeline's leading $match, and the $sort after it with how many of its first documents the rest reads. */
    record Hint(Document match, Document sort, long first) {
    }

    private final ThreadLocal<Hint> matchHint = new ThreadLocal<>();

    DebriefCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                      MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
    }

    @Override
    public synchronized void addIndex(Index<Object> index) {
        super.addIndex(index);
        if (indexes.stream().noneMatch(i -> i.getName().equals(index.getName()))) indexes.add(index);
    }

    @Override
    public synchronized void dropIndex(String indexName) {
        super.dropIndex(indexName);
        indexes.removeIf(i -> i.getName().equals(indexName));
    }

    /**
     * A sorted query that no unique index narrows is read in an ordered index's order when one fits, so
     * `find({status}).sort({lostAt: -1}).limit(25)` reads 25 documents rather than sorting them all.
     */
    @Override
    protected synchronized QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                                      Document fieldSelector) {
        boolean narrowed = indexes.stream().anyMatch(i -> i instanceof SupersetIndex && i.canHandle(query));
        if (!narrowed && orderBy != null && !orderBy.isEmpty()) {
            for (Index<Object> index : indexes) {
                Iterable<Object> positions = index instanceof OrderedIndex ordered ? ordered.sortedPositions(query, orderBy) : null;
                if (positions != null) {
                    Stream<Document> inOrder = StreamSupport.stream(positions.spliterator(), false).map(this::getDocument).filter(Objects::nonNull);
                    return matchDocumentsFromStream(inOrder, query, null, skip, limit, batchSize, fieldSelector);
                }
            }
        }
        return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
    }

    /** The number of documents matching, from the collection's size or an index alone; -1 if neither can tell. */
    synchronized long countWithoutReading(Document match) {
        if (match.isEmpty()) return count();
        for (Index<Object> index : indexes) {
            long n = index instanceof OrderedIndex ordered ? ordered.exactCount(match) : -1;
            if (n >= 0) return n;
        }
        return -1;
    }

    <T> T withMatchHint(Hint hint, Supplier<T> run) {
        matchHint.set(hint);
        try {
            return run.get();
        } finally {
            matchHint.remove();
        }
    }

    @Override
    public Stream<Document> queryAllAsStream() {
        Hint hint = matchHint.get();
        if (hint != null) {
            matchHint.remove(); // the first stream read is the pipeline's source; a $lookup into this collection is not
            List<Document> ordered = hint.sort() == null ? null : firstInOrder(hint);
            if (ordered != null) return ordered.stream();
            List<Document> candidates = candidates(hint.match());
            if (candidates != null) return candidates.stream();
        }
        return super.queryAllAsStream();
    }

    /**
     * The pipeline's first matching documents in its $sort's order, read from an ordered index (the $sort
     * stage then finds them sorted, and $skip/$limit take what they did from all): null when no index fits.
     */
    private synchronized List<Document> firstInOrder(Hint hint) {
        if (indexes.stream().anyMatch(i -> i instanceof SupersetIndex && i.canHandle(hint.match()))) return null;
        for (Index<Object> index : indexes) {
            Iterable<Object> positions = index instanceof OrderedIndex ordered ? ordered.sortedPositions(hint.match(), hint.sort()) : null;
            if (positions != null) {
                return StreamSupport.stream(positions.spliterator(), false)
                    .map(this::getDocument)
                    .filter(d -> d != null && documentMatchesQuery(d, hint.match()))
                    .limit(hint.first())
                    .toList();
            }
        }
        return null;
    }

    private synchronized List<Document> candidates(Document match) {
        for (Index<Object> index : indexes) {
            if (index.canHandle(match)) {
                return StreamSupport.stream(index.getPositions(match).spliterator(), false)
                    .map(this::getDocument)
                    .filter(Objects::nonNull)
                    .toList();
            }
        }
        return null;
    }
}
