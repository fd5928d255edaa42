// "A new feature cannot forget": every mongoose model the app defines is either a part of what export and
// erasure go through, or listed in src/privacy/parts.ts as holding no buyer data (or kept on erasure),
// with the reason. A new model fails here until someone decides which.
import { expect } from 'chai';
import mongoose from 'mongoose';
import '../../src/server.ts'; // the web app, the worker and every job: every model the product defines
import { buyerDataParts, modelsKeptOnErasure, modelsWithoutBuyerData } from '../../src/privacy/parts.ts';

describe('what Debrief holds about a buyer', () => {
  const covered = new Map(buyerDataParts.flatMap((part) => part.models.map((m) => [m.modelName, part.name] as const)));
  const listed = new Map(Object.entries({ ...modelsWithoutBuyerData, ...modelsKeptOnErasure }));

  it('every model is covered by a privacy part or listed with the reason it is not', () => {
    const undecided = mongoose.modelNames().filter((name) => !covered.has(name) && !listed.has(name));
    expect(undecided, 'add a part (src/<feature>/privacy.ts, listed in src/privacy/parts.ts) or list the model in src/privacy/parts.ts with why').to.deep.equal(
      [],
    );
  });

  it('no model is both covered and listed, and no listing names a model that is gone', () => {
    expect([...covered.keys()].filter((name) => listed.has(name))).to.deep.equal([]);
    expect(Object.keys(modelsWithoutBuyerData).filter((name) => name in modelsKeptOnErasure)).to.deep.equal([]);
    const models = new Set(mongoose.modelNames());
    expect([...listed.keys()].filter((name) => !models.has(name))).to.deep.equal([]);
  });

  it('each part says what it holds, and each listing why', () => {
    for (const part of buyerDataParts) expect(part.holds, part.name).to.match(/\w{3}/);
    for (const [name, why] of listed) expect(why, name).to.match(/\w{3}/);
  });
});
