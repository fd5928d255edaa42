// Copies every database of one MongoDB-speaking server into another (documents in batches, then the
// indexes), and checks the counts: used to move the earlier FerretDB engine's data into the embedded
// engine (`migrate-ferretdb`) and the embedded engine's data into MongoDB (`move-to-mongodb`).
import type { Document, MongoClient } from 'mongodb';

export interface CopiedCollection {
  name: string;
  documents: number;
}

const systemDatabases = new Set(['admin', 'local', 'config']);

export async function copyDatabases(from: MongoClient, to: MongoClient, say: (line: string) => void): Promise<CopiedCollection[]> {
  const copied: CopiedCollection[] = [];
  const { databases } = await from.db('admin').admin().listDatabases();
  for (const { name: dbName } of databases) {
    if (systemDatabases.has(dbName)) continue;
    for (const { name } of await from.db(dbName).listCollections({}, { nameOnly: true }).toArray()) {
      if (name.startsWith('system.')) continue;
      const src = from.db(dbName).collection<Document>(name);
      const dst = to.db(dbName).collection<Document>(name);
      if ((await dst.estimatedDocumentCount()) > 0)
        throw new Error(`${dbName}.${name} already holds documents where the copy should go: copy into an empty database.`);
      let batch: Document[] = [];
      for await (const doc of src.find({}, { batchSize: 1000 })) {
        batch.push(doc);
        if (batch.length === 1000) await dst.insertMany(batch.splice(0), { ordered: false });
      }
      if (batch.length > 0) await dst.insertMany(batch, { ordered: false });
      batch = [];
      for (const index of await src.listIndexes().toArray()) {
        if (index.name === '_id_') continue;
        const { key, name: indexName, unique, sparse } = index as { key: Document; name: string; unique?: boolean; sparse?: boolean };
        await dst.createIndex(key, { name: indexName, ...(unique ? { unique } : {}), ...(sparse ? { sparse } : {}) });
      }
      const [had, has] = await Promise.all([src.countDocuments(), dst.countDocuments()]);
      if (had !== has) throw new Error(`${dbName}.${name}: ${had} documents at the source, ${has} copied.`);
      copied.push({ name: `${dbName}.${name}`, documents: has });
      say(`  ${dbName}.${name}: ${has} documents`);
    }
  }
  return copied;
}
