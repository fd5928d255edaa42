// The sharing behind the change token's reads and renewals: fewer runs under load, and never a result
// from a run that began before the call.
import { expect } from 'chai';
import { sharedRuns } from '../../src/lib/shared-runs.ts';

/** A run whose end the test decides; `value` is what the store held when the run began. */
function controlledStore() {
  let value = 0;
  const runs: { began: number; finish: () => void }[] = [];
  const read = sharedRuns(
    () =>
      new Promise<number>((resolve) => {
        const began = value;
        runs.push({ began, finish: () => resolve(began) });
      }),
  );
  return { read, runs, write: () => (value += 1) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('shared runs', () => {
  it('callers arriving while a run is on its way share one next run', async () => {
    const s = controlledStore();
    const first = s.read();
    const later = Array.from({ length: 10 }, () => s.read());
    expect(s.runs).to.have.length(1);
    s.runs[0]!.finish();
    await settle();
    expect(s.runs).to.have.length(2);
    s.runs[1]!.finish();
    expect(await first).to.equal(0);
    expect(new Set(await Promise.all(later))).to.deep.equal(new Set([0]));
    expect(s.runs).to.have.length(2);
  });

  it('a caller never gets the result of a run that began before its call', async () => {
    const s = controlledStore();
    const before = s.read(); // begins while the store holds 0
    s.write(); // the caller below must see this
    const after = s.read();
    s.runs[0]!.finish();
    await settle();
    s.runs[1]!.finish();
    expect(await before).to.equal(0);
    expect(await after).to.equal(1);
  });

  it('a failed run fails its callers only; the next callers get a run of their own', async () => {
    let attempt = 0;
    const read = sharedRuns(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('the database went away');
      return attempt;
    });
    const failed = read();
    const waiting = read();
    expect(
      await failed.then(
        () => null,
        (err: Error) => err.message,
      ),
    ).to.equal('the database went away');
    expect(await waiting).to.equal(2);
    expect(await read()).to.equal(3);
  });
});
