package debrief.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * A non-unique index, kept in memory in the index's own order (as MongoDB's B-tree is) and rebuilt from
 * the collection when the engine starts: the engine itself ignores non-unique indexes and scans. It
 * hands the collection candidates for an equality or $in on its first field, and (see DebriefCollection)
 * documents in sorted order for a query that fixes a prefix of its fields by equality and sorts by the
 * next ones, so a page of a sorted list reads only that page. Candidates are still matched against the
 * whole query, so a candidate too many is never a wrong answer. Positions are the documents' _id values,
 * as the H2 backend uses them.
 */
final class OrderedIndex extends Index<Object> {

    /** One entry per document (per array element of a multikey field): its key values, then its _id. */
    private record Entry(Object[] values, Object position) {
    }

    private static final Object LOWEST = new Object();
    private static final Object HIGHEST = new Object();

    private final List<String> fields;
    private final List<Comparator<Object>> order;
    private final NavigableSet<Entry> entries;
    private final Map<Object, List<Entry>> entriesByPosition = new ConcurrentHashMap<>();
    /** Whether an indexed field ever held an array: then the index's order is not a sort order. */
    private volatile boolean multikey;

    /** Opened with the database: filled by the collection's one pass over its documents (see DebriefCollection). */
    private volatile boolean deferred;

    OrderedIndex(String name, List<IndexKey> keys, boolean sparse, boolean deferred) {
        super(name, keys, sparse);
        this.deferred = deferred;
        this.fields = keys.stream().map(IndexKey::getKey).toList();
        this.order = keys.stream().map(k -> (Comparator<Object>) (k.isAscending() ? ValueComparator.asc() : ValueComparator.desc())).toList();
        this.entries = new ConcurrentSkipListSet<>(this::compare);
    }

    private int compare(Entry a, Entry b) {
        for (int i = 0; i < fields.size(); i++) {
            int c = compareValue(a.values[i], b.values[i], order.get(i));
            if (c != 0) return c;
        }
        return compareValue(a.position, b.position, ValueComparator.asc());
    }

    private static int compareValue(Object a, Object b, Comparator<Object> comparator) {
        if (a == b) return 0;
        if (a == LOWEST || b == HIGHEST) return -1;
        if (a == HIGHEST || b == LOWEST) return 1;
        return comparator.compare(a, b);
    }

    /** Values an equality may name here: scalars (null, documents and arrays are left to a scan). */
    static boolean isPlain(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Instant
            || value instanceof Date || value instanceof ObjectId || value instanceof UUID;
    }

    private List<Entry> entriesOf(Document document, Object position) {
        List<Object[]> combos = new ArrayList<>();
        combos.add(new Object[fields.size()]);
        for (int i = 0; i < fields.size(); i++) {
            Object value = Utils.getSubdocumentValueCollectionAware(document, fields.get(i));
            List<Object> each = new ArrayList<>();
            if (value instanceof Collection<?> many) {
                multikey = true;
                for (Object v : many) each.add(Missing.isNullOrMissing(v) ? null : v);
                if (each.isEmpty()) each.add(null);
            } else {
                each.add(Missing.isNullOrMissing(value) ? null : value);
            }
            List<Object[]> next = new ArrayList<>();
            for (Object[] combo : combos) {
                for (Object v : each) {
                    Object[] copy = combo.clone();
                    copy[i] = v;
                    next.add(copy);
                }
            }
            combos = next;
        }
        return combos.stream().map(values -> new Entry(values, position)).toList();
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
        List<Entry> mine = entriesOf(document, position);
        entriesByPosition.put(position, mine);
        entries.addAll(mine);
    }

    @Override
    public Object remove(Document document) {
        Object position = Utils.getSubdocumentValue(document, "_id");
        List<Entry> mine = entriesByPosition.remove(position);
        if (mine != null) entries.removeAll(mine);
        return Missing.isNullOrMissing(position) ? null : position;
    }

    /** The entries whose first values equal these, in index order. */
    private NavigableSet<Entry> withPrefix(Object... prefix) {
        Object[] from = new Object[fields.size()];
        Object[] to = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            from[i] = i < prefix.length ? prefix[i] : LOWEST;
            to[i] = i < prefix.length ? prefix[i] : HIGHEST;
        }
        return entries.subSet(new Entry(from, LOWEST), true, new Entry(to, HIGHEST), true);
    }

    @Override
    public boolean canHandle(Document query) {
        return wanted(query) != null || rangeOf(query) != null;
    }

    /**
     * A range on the first field: {$gt/$gte/$lt/$lte: plain value}, one bound or both ([lower, upper], null
     * for open). On an array field only {$elemMatch: {bounds}} is a range (one element within both bounds):
     * bounds given directly may be met by two different elements.
     */
    private Object[] rangeOf(Document query) {
        Object condition = query.get(fields.get(0));
        if (condition instanceof Document outer && outer.size() == 1 && outer.get("$elemMatch") instanceof Document inner
            && inner.keySet().stream().allMatch(k -> k.startsWith("$"))) return boundsOf(inner);
        if (multikey || !(condition instanceof Document operators)) return null;
        return boundsOf(operators);
    }

    /** Whether the query names a range of one element of this index's (array) first field: a narrow set of candidates. */
    boolean servesElementRange(Document query) {
        return query.get(fields.get(0)) instanceof Document outer && outer.containsKey("$elemMatch") && rangeOf(query) != null;
    }

    private static Object[] boundsOf(Document operators) {
        if (operators.isEmpty()) return null;
        Object lower = null;
        Object upper = null;
        for (Map.Entry<String, Object> op : operators.entrySet()) {
            if (!isPlain(op.getValue())) return null;
            switch (op.getKey()) {
                case "$gt", "$gte" -> lower = op.getValue();
                case "$lt", "$lte" -> upper = op.getValue();
                default -> {
                    return null;
                }
            }
        }
        return new Object[] {lower, upper};
    }

    /**
     * The entries whose first value lies within the bounds (both inclusive: the query's own match drops an
     * exclusive bound's equal values, and values of other types the index orders between them).
     */
    private NavigableSet<Entry> withinRange(Object lower, Object upper) {
        boolean ascending = getKeys().get(0).isAscending();
        Object first = ascending ? lower : upper;
        Object last = ascending ? upper : lower;
        Object[] from = new Object[fields.size()];
        Object[] to = new Object[fields.size()];
        java.util.Arrays.fill(from, LOWEST);
        java.util.Arrays.fill(to, HIGHEST);
        if (first != null) from[0] = first;
        if (last != null) to[0] = last;
        return entries.subSet(new Entry(from, LOWEST), true, new Entry(to, HIGHEST), true);
    }

    /** The values the query asks the first field to equal, or null when this index cannot serve it. */
    private Collection<?> wanted(Document query) {
        if (!query.containsKey(fields.get(0))) return null;
        Object condition = query.get(fields.get(0));
        if (isPlain(condition)) return List.of(condition);
        if (condition instanceof Document operators && operators.size() == 1) {
            Object in = operators.get("$in");
            if (in instanceof Collection<?> list && list.stream().allMatch(OrderedIndex::isPlain)) return list;
            Object eq = operators.get("$eq");
            if (isPlain(eq)) return List.of(eq);
        }
        return null;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        Set<Object> positions = new java.util.LinkedHashSet<>();
        Collection<?> wanted = wanted(query);
        if (wanted == null) {
            Object[] range = rangeOf(query);
            for (Entry e : withinRange(range[0], range[1])) positions.add(e.position);
            return positions;
        }
        for (Object value : wanted) {
            for (Entry e : withPrefix(value)) positions.add(e.position);
        }
        return positions;
    }

    /**
     * The positions of the documents this query may match, in the order `orderBy` asks for, or null when
     * this index cannot give that order: the query must fix the index's first fields by plain equality
     * and sort by exactly the fields after them, all in the index's directions or all reversed.
     */
    Iterable<Object> sortedPositions(Document query, Document orderBy) {
        if (multikey || orderBy == null || orderBy.isEmpty() || orderBy.containsKey("$natural")) return null;
        int fixed = 0;
        while (fixed < fields.size() && query.containsKey(fields.get(fixed)) && isPlain(query.get(fields.get(fixed)))) fixed++;
        List<String> sortFields = new ArrayList<>(orderBy.keySet());
        if (fixed + sortFields.size() > fields.size()) return null;
        Boolean reversed = null;
        for (int i = 0; i < sortFields.size(); i++) {
            IndexKey key = getKeys().get(fixed + i);
            if (!key.getKey().equals(sortFields.get(i)) || !(orderBy.get(sortFields.get(i)) instanceof Number n)) return null;
            boolean same = (n.intValue() > 0) == key.isAscending();
            if (reversed != null && reversed == same) return null;
            reversed = !same;
        }
        Object[] prefix = new Object[fixed];
        for (int i = 0; i < fixed; i++) prefix[i] = query.get(fields.get(i));
        NavigableSet<Entry> range = withPrefix(prefix);
        NavigableSet<Entry> ordered = Boolean.TRUE.equals(reversed) ? range.descendingSet() : range;
        return () -> ordered.stream().map(Entry::position).iterator();
    }

    /**
     * How many documents match a query that only fixes this index's first fields by plain equality, read
     * from the index alone; -1 when the query asks anything else (or the index is multikey).
     */
    long exactCount(Document query) {
        if (multikey || query.isEmpty() || query.size() > fields.size()) return -1;
        Object[] prefix = new Object[query.size()];
        for (int i = 0; i < prefix.length; i++) {
            Object value = query.get(fields.get(i));
            if (!query.containsKey(fields.get(i)) || !isPlain(value)) return -1;
            prefix[i] = value;
        }
        return withPrefix(prefix).size();
    }

    boolean isDeferred() {
        return deferred;
    }

    void built() {
        deferred = false;
    }

    /** A deferred index says it is not empty, so that the engine does not fill it by itself (two passes over the documents for each index). */
    @Override
    public boolean isEmpty() {
        return !deferred && entriesByPosition.isEmpty();
    }

    @Override
    public long getCount() {
        return entriesByPosition.size();
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
        entries.clear();
        entriesByPosition.clear();
    }
}
