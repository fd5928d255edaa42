package debrief.engine;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    /** A query with its long $in lists taken out as hash sets (field -> set), and the rest of it. */
    private record InSets(Document rest, List<Map.Entry<String, Set<Object>>> sets) {
    }

    private static final InSets NO_SETS = new InSets(null, List.of());
    /** $in lists longer than this are matched through a hash set. */
    private static final int SHORT_IN = 16;
    /** The last query this thread matched, and its split: every document of a query is matched against the same one. */
    private final ThreadLocal<Map.Entry<Document, InSets>> lastSplit = new ThreadLocal<>();

    DebriefCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                      MVMap<String, Object> meta, CursorRegistry cursors) {
        super(database, name, options, data, meta, cursors);
    }

    @Override
    public synchronized void addIndex(Index<Object> index) {
        super.addIndex(index);
        if (indexes.stream().noneMatch(i -> i.getName().equals(index.getName()))) indexes.add(index);
    }

    /** Fills the ordered indexes opened with the database, all in one pass over the documents. */
    synchronized void fillDeferredIndexes() {
        List<OrderedIndex> deferred = indexes.stream().filter(i -> i instanceof OrderedIndex o && o.isDeferred()).map(i -> (OrderedIndex) i).toList();
        if (deferred.isEmpty()) return;
        streamAllDocumentsWithPosition().forEach(d -> {
            for (OrderedIndex index : deferred) index.add(d.getDocument(), d.getPosition(), this);
        });
        deferred.forEach(OrderedIndex::built);
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
        if (!narrowed) {
            // A word search ({terms: {$elemMatch: {$gte, $lt}}}) usually names few documents: read those, then
            // sort them. One that names many (a single letter) is cheaper read in a sorted index's order.
            for (Index<Object> index : indexes) {
                if (index instanceof OrderedIndex ordered && ordered.servesElementRange(query)) {
                    List<Object> positions = new ArrayList<>();
                    ordered.getPositions(query).forEach(positions::add);
                    if (orderBy != null && !orderBy.isEmpty() && positions.size() * 10L > count()) break;
                    Stream<Document> found = positions.stream().map(this::getDocument).filter(Objects::nonNull);
                    return matchDocumentsFromStream(found, query, orderBy, skip, limit, batchSize, fieldSelector);
                }
            }
        }
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

    /**
     * The engine's matcher compares a document with each value of an $in list in turn: `{_id: {$in: ids}}`
     * with 5,000 ids over 5,000 documents took 2.4 s. A long list of plain values on a top-level field is
     * matched through a hash set instead; any other shape (an array field, a sub-document) goes to the matcher.
     */
    @Override
    protected boolean documentMatchesQuery(Document document, Document query) {
        InSets split = inSetsOf(query);
        if (split == NO_SETS) return super.documentMatchesQuery(document, query);
        for (Map.Entry<String, Set<Object>> entry : split.sets()) {
            Object value = document.get(entry.getKey());
            if (value == null) return false; // no listed value is null (plain values only)
            if (!OrderedIndex.isPlain(value)) return super.documentMatchesQuery(document, query);
            if (!entry.getValue().contains(keyOf(value))) return false;
        }
        return super.documentMatchesQuery(document, split.rest());
    }

    private InSets inSetsOf(Document query) {
        Map.Entry<Document, InSets> last = lastSplit.get();
        if (last != null && last.getKey() == query) return last.getValue();
        InSets split = splitInSets(query);
        lastSplit.set(new AbstractMap.SimpleImmutableEntry<>(query, split));
        return split;
    }

    private static InSets splitInSets(Document query) {
        List<Map.Entry<String, Set<Object>>> sets = new ArrayList<>();
        Document rest = new Document();
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith("$") && !key.contains(".") && entry.getValue() instanceof Document operators && operators.size() == 1
                && operators.get("$in") instanceof Collection<?> list && list.size() > SHORT_IN && list.stream().allMatch(OrderedIndex::isPlain)) {
                Set<Object> set = new HashSet<>();
                for (Object v : list) set.add(keyOf(v));
                sets.add(new AbstractMap.SimpleImmutableEntry<>(key, set));
            } else {
                rest.put(key, entry.getValue());
            }
        }
        return sets.isEmpty() ? NO_SETS : new InSets(rest, sets);
    }

    /** Values equal as MongoDB compares them get equal keys: numbers by value (1, 1L and 1.0), dates as instants. */
    private static Object keyOf(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (Object) Long.valueOf((long) d) : (Object) Double.valueOf(d);
        }
        if (value instanceof Date date) return date.toInstant();
        return value;
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
        List<Index<Object>> byNarrowness = new ArrayList<>(indexes);
        byNarrowness.sort(java.util.Comparator.comparing(i -> !(i instanceof OrderedIndex o && o.servesElementRange(match))));
        for (Index<Object> index : byNarrowness) {
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
