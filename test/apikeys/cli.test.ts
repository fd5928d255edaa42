// `npm run cli -- api-key ...` as an operator runs it, against a real database.
import { expect } from 'chai';
import { ApiKey } from '../../src/apikeys/model.ts';
import { authenticateApiKey } from '../../src/apikeys/service.ts';
import { AuditEntry } from '../../src/audit/model.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { runCli } from '../helpers/process.ts';

const cli = runCli;

describe('npm run cli -- api-key', function () {
  this.timeout(60000);
  const db = useTestDatabase('apikeys_cli');

  it('create prints the key alone on its own line, and it authenticates; revoke ends it', async () => {
    const created = await cli(['api-key', 'create', '--name', 'Nightly export', '--scopes', 'read,webhooks'], { MONGODB_URI: db.uri() });
    expect(created.code, created.err).to.equal(0);
    expect(created.out).to.match(/^dbk_[A-Za-z0-9_-]{43}\n$/);
    const key = created.out.trim();
    expect(created.err).to.contain('Nightly export').and.contain('read, webhooks').and.contain('store it now');
    expect(created.err).not.to.contain(key);

    const record = await authenticateApiKey(key);
    expect(record).to.include({ name: 'Nightly export', prefix: key.slice(4, 12), createdBy: 'cli' });
    expect(record?.scopes).to.deep.equal(['read', 'webhooks']);
    const entry = await AuditEntry.findOne({ action: 'api_key.created' }).lean();
    expect(entry).to.include({ actorType: 'system', actorEmail: 'cli' });

    const listed = await cli(['api-key', 'list'], { MONGODB_URI: db.uri() });
    expect(listed.code, listed.err).to.equal(0);
    expect(listed.out).to.contain(record!.prefix).and.contain('Nightly export').and.contain('active');
    expect(listed.out).not.to.contain(key);

    const revoked = await cli(['api-key', 'revoke', '--prefix', record!.prefix], { MONGODB_URI: db.uri() });
    expect(revoked.code, revoked.err).to.equal(0);
    expect(revoked.out).to.contain('Revoked API key Nightly export');
    expect(await authenticateApiKey(key)).to.equal(null);
    expect((await ApiKey.findOne({ prefix: record!.prefix }).lean())?.revokedBy).to.equal('cli');
    expect(await AuditEntry.countDocuments({ action: 'api_key.revoked', actorEmail: 'cli' })).to.equal(1);
  });

  it('refuses missing or unknown scopes, a missing name and an unknown prefix, with a clear message', async () => {
    const noScopes = await cli(['api-key', 'create', '--name', 'No scopes'], { MONGODB_URI: db.uri() });
    expect(noScopes.code).to.equal(1);
    expect(noScopes.out).to.equal('');
    expect(noScopes.err).to.contain('--scopes: Pick at least one scope.');
    const unknown = await cli(['api-key', 'create', '--name', 'Odd', '--scopes', 'read,admin'], { MONGODB_URI: db.uri() });
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.contain('Unknown scope');
    const noName = await cli(['api-key', 'create', '--scopes', 'read'], { MONGODB_URI: db.uri() });
    expect(noName.code).to.equal(1);
    expect(noName.err).to.contain('--name: Enter a name');
    expect(await ApiKey.countDocuments({ name: 'No scopes' })).to.equal(0);
    expect(await ApiKey.countDocuments({ name: 'Odd' })).to.equal(0);
    const nowhere = await cli(['api-key', 'revoke', '--prefix', 'dbk_zzzzzzzz'], { MONGODB_URI: db.uri() });
    expect(nowhere.code).to.equal(1);
    expect(nowhere.err).to.contain('There is no API key with the prefix zzzzzzzz');
  });
});
