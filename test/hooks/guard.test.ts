// The address guard: with private addresses not allowed (the default), no outgoing webhook request
// reaches loopback, link-local or private addresses, whether written in the URL or reached through a
// name that resolves to one (checked at connect time); with them allowed, the local receiver gets it.
import { expect } from 'chai';
import { isPrivateAddress } from '../../src/lib/outgoing/guard.ts';
import { saveHookSettings } from '../../src/hooks/model.ts';
import { postJson } from '../../src/lib/outgoing/post.ts';
import { createEndpoint } from '../../src/hooks/service.ts';
import { ValidationError } from '../../src/lib/errors.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { testConfig } from '../helpers/app.ts';
import { clearCollections, useTestDatabase } from '../helpers/db.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const actor = { type: 'system' as const, email: 'test' };

describe('the outgoing webhooks’ address guard', () => {
  it('refuses loopback, link-local, private, carrier-grade NAT, unique-local and IPv4-mapped addresses, and lets public ones through', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '[::1]',
    ]) {
      expect(isPrivateAddress(a), a).to.equal(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(isPrivateAddress(a), a).to.equal(false);
  });

  describe('when posting', () => {
    let receiver: Receiver;
    before(async () => {
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver.close();
    });
    beforeEach(() => receiver.reset());

    const send = (url: string, allowPrivateAddresses: boolean) => postJson(url, '{}', {}, { allowPrivateAddresses, timeoutMs: 3000 });

    it('refuses a URL written with a private address, and a name resolving to 127.0.0.1, at connect time', async () => {
      for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '[::1]']) {
        const result = await send(`http://${host}:${receiver.port}/hook`, false);
        expect(result.status, host).to.equal(undefined);
        expect(result.error, host).to.match(/^Refused: .* is a private, loopback or link-local address/);
      }
      const byName = await send(`http://localhost:${receiver.port}/hook`, false);
      expect(byName.status).to.equal(undefined);
      expect(byName.error).to.match(/^Refused: localhost resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/);
      expect(receiver.received).to.have.length(0);
    });

    it('reaches the local receiver when private addresses are allowed', async () => {
      expect((await send(`http://127.0.0.1:${receiver.port}/hook`, true)).status).to.equal(200);
      expect((await send(`http://localhost:${receiver.port}/hook`, true)).status).to.equal(200);
      expect(receiver.received).to.have.length(2);
    });
  });

  describe('when registering an endpoint', () => {
    useTestDatabase('hooks_guard');
    beforeEach(clearCollections);
    const secrets = loadSecrets(testConfig());

    it('refuses a private or local address while they are not allowed, naming the setting, and takes it once allowed', async () => {
      for (const url of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'https://[fd00::1]/x', 'http://169.254.169.254/latest/meta-data']) {
        const err = await createEndpoint({ url, events: ['interview.completed'] }, actor, secrets).catch((e: unknown) => e);
        expect(err, url).to.be.instanceOf(ValidationError);
        expect((err as ValidationError).details?.url?.[0]).to.contain('allow private addresses');
      }
      await saveHookSettings(true, 'test');
      const { endpoint } = await createEndpoint({ url: 'http://127.0.0.1:9000/hook', events: ['interview.completed'] }, actor, secrets);
      expect(endpoint.url).to.equal('http://127.0.0.1:9000/hook');
    });
  });
});
