import { expect } from 'chai';
import { reserveDomainSends } from '../../src/outbox/throttle.ts';
import { useTestDatabase } from '../helpers/db.ts';

describe('the per-domain send rate', () => {
  useTestDatabase('throttle');
  const minute = new Date('2026-12-01T10:00:30Z');

  it('reserves for every domain of a wave at once, each counted on its own within the minute', async () => {
    const first = await reserveDomainSends(
      new Map([
        ['acme.example', 3],
        ['globex.example', 1],
      ]),
      2,
      minute,
    );
    expect([...first]).to.deep.equal([
      ['acme.example', 2],
      ['globex.example', 1],
    ]);
    const second = await reserveDomainSends(
      new Map([
        ['acme.example', 1],
        ['globex.example', 2],
        ['initech.example', 1],
      ]),
      2,
      new Date(minute.getTime() + 20_000),
    );
    expect([...second]).to.deep.equal([
      ['acme.example', 0],
      ['globex.example', 1],
      ['initech.example', 1],
    ]);
  });

  it('starts again in the next minute', async () => {
    await reserveDomainSends(new Map([['acme.example', 2]]), 2, minute);
    const next = await reserveDomainSends(new Map([['acme.example', 2]]), 2, new Date(minute.getTime() + 60_000));
    expect(next.get('acme.example')).to.equal(2);
  });

  it('keeps apart domains that only differ where a dot would be escaped', async () => {
    // "a.b" and "a%2Eb" would share a field if dots were escaped without escaping "%" first.
    const may = await reserveDomainSends(
      new Map([
        ['a.example', 1],
        ['a%2Eexample', 1],
      ]),
      1,
      minute,
    );
    expect([...may.values()]).to.deep.equal([1, 1]);
  });
});
