// Liveness and readiness for load balancers and orchestrators: JSON, no sign-in.
import { Router } from 'express';
import mongoose from 'mongoose';
import type { AppDeps } from '../lib/http/deps.ts';
import { jobsCollection } from '../lib/queue.ts';
import { latestHeartbeat } from '../system/index.ts';

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message.slice(0, 200) };
  }
}

export function healthRouter({ database }: Pick<AppDeps, 'database'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const db = mongoose.connection.db;
    const [dbCheck, queueCheck] = await Promise.all([
      check(async () => {
        if (!db) throw new Error('not connected');
        await db.admin().ping();
      }),
      check(async () => {
        if (!db) throw new Error('not connected');
        await db.collection(jobsCollection).findOne({}, { projection: { _id: 1 } });
      }),
    ]);
    const ready = dbCheck.ok && queueCheck.ok;
    const beat = dbCheck.ok ? await latestHeartbeat().catch(() => null) : null;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      database: { ...dbCheck, kind: database.kind },
      jobQueue: { ...queueCheck, lastWorkerBeatAt: beat?.beatAt ?? null },
    });
  });
  return router;
}
