// The embedded engine (mongo-java-server over H2) runs a subset of MongoDB. Code that works on it works
// on MongoDB, not the other way round, so the source must not use what the engine lacks (see README).
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const forbidden: [RegExp, string][] = [
  [/startTransaction|withTransaction|\.startSession\(/, 'multi-document transactions'],
  [/\.watch\(/, 'change streams'],
  [/\$graphLookup|\$unionWith/, 'aggregation stages the engine lacks'],
  [/\bpipeline:\s*\[|\blet:\s*\{/, '$lookup sub-pipelines (the engine joins on localField and foreignField only)'],
  [/\$median|\$percentile|\$stdDev/, 'accumulators the engine lacks'],
  [/\$text\b|\$search\b/, 'text search'],
  [
    /expireAfterSeconds|partialFilterExpression|\btext:\s*true|2dsphere/,
    'TTL, partial, text or geo indexes (the engine never expires, and a partial unique index would be unique over every document)',
  ],
  [/\bcollation\b/, 'collations'],
  [/\.explain\(/, 'explain'],
  [/Decimal128/, 'Decimal128'],
  [
    /\bw:\s*0\b|autoRemove:\s*'(interval|native)'/,
    'unacknowledged writes (an engine that answers them anyway crosses the replies: test/lib/unacknowledged-writes.test.ts)',
  ],
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
