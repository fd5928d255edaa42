import { expect } from 'chai';
import mongoose from 'mongoose';
import { useTestApp } from './helpers/app.ts';
import { useTestDatabase } from './helpers/db.ts';

describe('health endpoints', () => {
  const db = useTestDatabase('health');
  const app = useTestApp();

  it('GET /healthz says the process is alive', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('application/json');
    const body = (await res.json()) as { status: string };
    expect(body.status).to.equal('ok');
  });

  it('GET /readyz says the database and the job queue are reachable', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { status: string; database: { ok: boolean }; jobQueue: { ok: boolean } };
    expect(body.status).to.equal('ready');
    expect(body.database.ok).to.equal(true);
    expect(body.jobQueue.ok).to.equal(true);
  });

  it('GET /readyz answers 503 while the database is unreachable, and 200 again once it is back', async () => {
    await mongoose.disconnect();
    try {
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).to.equal(503);
      const body = (await res.json()) as { status: string; database: { ok: boolean } };
      expect(body.status).to.equal('unavailable');
      expect(body.database.ok).to.equal(false);
    } finally {
      await mongoose.connect(db.uri());
    }
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
  });
});
