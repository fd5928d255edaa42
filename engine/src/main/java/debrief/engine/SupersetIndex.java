package debrief.engine;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.exception.KeyConstraintError;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A unique index (the _id index among them) that also serves a query naming more fields than its own, as
 * MongoDB's planner does: `{_id, state: {$in: [...]}}` finds the one document by _id and matches the rest,
 * where the engine alone would scan the collection for any query whose fields differ from the index's.
 */
final class SupersetIndex extends Index<Object> {

    private final Index<Object> unique;

    SupersetIndex(Index<Object> unique, boolean sparse) {
        super(unique.getName(), unique.getKeys(), sparse);
        this.unique = unique;
    }

    private Document ownPart(Document query) {
        Document own = new Document();
        for (String key : keySet()) {
            Object value = query.get(key);
            if (!query.containsKey(key) || !(OrderedIndex.isPlain(value) || (keySet().size() == 1 && isPlainIn(value)))) return null;
            own.put(key, value);
        }
        return own;
    }

    private static boolean isPlainIn(Object value) {
        return value instanceof Document operators && operators.size() == 1
            && operators.get("$in") instanceof java.util.Collection<?> list && list.stream().allMatch(OrderedIndex::isPlain);
    }

    @Override
    public boolean canHandle(Document query) {
        if (unique.canHandle(query)) return true;
        Document own = ownPart(query);
        return own != null && unique.canHandle(own);
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        return unique.canHandle(query) ? unique.getPositions(query) : unique.getPositions(ownPart(query));
    }

    @Override
    public boolean isUnique() {
        return unique.isUnique();
    }

    @Override
    public Object getPosition(Document document) {
        return unique.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        unique.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        unique.add(document, position, collection);
    }

    @Override
    public Object remove(Document document) {
        return unique.remove(document);
    }

    @Override
    public long getCount() {
        return unique.getCount();
    }

    @Override
    public boolean isEmpty() {
        return unique.isEmpty();
    }

    @Override
    public long getDataSize() {
        return unique.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        unique.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection)
        throws KeyConstraintError {
        unique.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        unique.drop();
    }
}
