// themes.updated from end to end: a themes run (as the worker's recompute job makes it) tells an endpoint
// subscribed to it, through the events table, which set was recomputed with its themes' labels and
// sizes, signed, and nothing of a buyer but the counts.
import { expect } from 'chai';
import { saveHookSettings } from '../../src/hooks/model.ts';
import { createEndpoint } from '../../src/hooks/service.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { verifyDebriefSignature } from '../../src/webhooks/signature.ts';
import { runRecompute } from '../../src/themes/runs.ts';
import { useTestApp } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { addLabelled } from '../themes/helpers.ts';
import { startReceiver, type Receiver } from './receiver.ts';

describe('outgoing webhooks: themes updated', () => {
  useTestDatabase('hooks_themes');
  const app = useTestApp({ worker: true });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    await clearCollections();
    receiver.reset();
    await saveHookSettings(true, 'test'); // the receiver is on loopback
  });

  it('a themes run sends each recomputed set once, signed, with its labels and sizes', async () => {
    const { secret } = await createEndpoint({ url: receiver.url, events: ['themes.updated'] }, { type: 'system', email: 'test' }, loadSecrets(app.config));
    await addLabelled(24, ['price', 'integrations', 'support']);
    await runRecompute(['reasons']);
    const [got] = await receiver.waitFor(1);
    const event = JSON.parse(got!.body);
    expect(event.type).to.equal('themes.updated');
    const [timestamp, signature] = [got!.headers['x-debrief-timestamp'], got!.headers['x-debrief-signature']].map(String);
    expect(() => verifyDebriefSignature({ secret, timestamp, signature, rawBody: Buffer.from(got!.body), nowMs: Date.now() })).not.to.throw();
    expect(event.data.sets).to.have.length(1);
    const [set] = event.data.sets;
    expect(set).to.include({ set: 'reasons', outcome: 'lost', answers: 24 });
    expect(set.themes.length).to.be.greaterThan(0);
    for (const theme of set.themes) expect(theme.label).to.be.a('string').and.not.equal('');
    expect(set.themes.reduce((n: number, t: { size: number }) => n + t.size, 0)).to.be.at.most(24);
    // Quotes stay out (read them through the API, as consent allows), and so does any buyer's address.
    expect(got!.body).not.to.contain('quotes');
    expect(got!.body).not.to.match(/@[a-z0-9-]+\.example/);
    // Nothing new: a second look finds the one event only.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).to.have.length(1);
  });
});
