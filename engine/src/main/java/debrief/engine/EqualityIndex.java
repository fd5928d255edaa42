package debrief.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * A non-unique index, kept in memory and rebuilt from the collection when the engine starts (the engine
 * itself ignores non-unique indexes and scans). It serves equality and $in on the index's first field:
 * it hands the collection candidate documents, which the collection still matches against the whole
 * query and sorts, so a candidate too many is never a wrong answer. Positions are the documents' _id
 * values, as the H2 backend uses them.
 */
final class EqualityIndex extends Index<Object> {

    private final String field;
    private final Map<Object, Set<Object>> positionsByValue = new ConcurrentHashMap<>();
    private final Map<Object, Set<Object>> valuesByPosition = new ConcurrentHashMap<>();

    EqualityIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.field = keys.get(0).getKey();
    }

    /** The key a value is filed under: numbers of any type compare as doubles, as the engine matches them. */
    static Object normalize(Object value) {
        if (value instanceof Number number && !(value instanceof Long l && l != (long) (double) l)) {
            double d = number.doubleValue();
            return d == -0.0 ? 0.0 : d;
        }
        return value;
    }

    /** Values an equality on this field may name: scalars (null, documents and arrays are left to a scan). */
    static boolean isPlain(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Instant
            || value instanceof Date || value instanceof ObjectId || value instanceof UUID;
    }

    private Set<Object> valuesOf(Document document) {
        Object value = Utils.getSubdocumentValueCollectionAware(document, field);
        Set<Object> values = new HashSet<>();
        if (value instanceof Collection<?> many) {
            for (Object each : many) {
                if (isPlain(each)) values.add(normalize(each));
            }
        } else if (isPlain(value)) {
            values.add(normalize(value));
        }
        return values;
    }

    @Override
    public Object getPosition(Document document) {
        return null; // not unique: it cannot name the one document that equals another
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        Set<Object> values = valuesOf(document);
        valuesByPosition.put(position, values);
        for (Object value : values) {
            positionsByValue.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(position);
        }
    }

    @Override
    public Object remove(Document document) {
        Object position = Utils.getSubdocumentValue(document, "_id");
        Set<Object> values = valuesByPosition.remove(position);
        if (values != null) {
            for (Object value : values) {
                Set<Object> positions = positionsByValue.get(value);
                if (positions != null) {
                    positions.remove(position);
                    if (positions.isEmpty()) positionsByValue.remove(value, positions);
                }
            }
        }
        return Missing.isNullOrMissing(position) ? null : position;
    }

    @Override
    public boolean canHandle(Document query) {
        return wanted(query) != null;
    }

    /** The values the query asks the first field to equal, or null when this index cannot serve it. */
    private Collection<?> wanted(Document query) {
        if (!query.containsKey(field)) return null;
        Object condition = query.get(field);
        if (isPlain(condition)) return List.of(condition);
        if (condition instanceof Document operators && operators.size() == 1) {
            Object in = operators.get("$in");
            if (in instanceof Collection<?> list && list.stream().allMatch(EqualityIndex::isPlain)) return list;
            Object eq = operators.get("$eq");
            if (isPlain(eq)) return List.of(eq);
        }
        return null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        Set<Object> positions = new HashSet<>();
        for (Object value : wanted(query)) {
            Set<Object> found = positionsByValue.get(normalize(value));
            if (found != null) positions.addAll(found);
        }
        return positions;
    }

    @Override
    public long getCount() {
        return valuesByPosition.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public void drop() {
        positionsByValue.clear();
        valuesByPosition.clear();
    }
}
