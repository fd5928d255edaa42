// The embedded engine (FerretDB 1.24) runs a subset of MongoDB. Code that works on it works on MongoDB,
// not the other way round, so the source must not use what FerretDB lacks (see README, architecture).
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const forbidden: [RegExp, string][] = [
  [/startTransaction|withTransaction|\.startSession\(/, 'multi-document transactions'],
  [/\.watch\(/, 'change streams'],
  [/\$lookup|\$facet|\$graphLookup|\$unionWith/, 'aggregation stages the engine lacks (join in code)'],
  [/\$avg|\$median|\$percentile|\$stdDev/, 'accumulators the engine lacks (average in code)'],
  [/\$text\b|\$search\b/, 'text search'],
  [/expireAfterSeconds|partialFilterExpression|\btext:\s*true|2dsphere/, 'TTL, partial, text or geo indexes'],
  [/\bcollation\b/, 'collations'],
  [/arrayFilters|\.\$\./, 'array filters and positional updates'],
  [/Decimal128/, 'Decimal128'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|ejs)$/.test(name) ? [path] : [];
  });
}

describe('code stays within what both MongoDB and the embedded engine run', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('jobs')];

  it('finds the source files to check', () => {
    expect(files.length).to.be.greaterThan(10);
  });

  for (const [pattern, what] of forbidden) {
    it(`uses no ${what}`, () => {
      const hits = files.flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
          .filter(({ line }) => pattern.test(line) && !line.trim().startsWith('//'))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
      expect(hits, hits.join('\n')).to.deep.equal([]);
    });
  }
});
