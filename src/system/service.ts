// Worker liveness, one-time markers, and where the web process answers.
import { hostname } from 'node:os';
import { Marker, WebAddress, WorkerHeartbeat } from './model.ts';
import { isDuplicateKeyError } from '../lib/db.ts';

export async function recordHeartbeat(workerName: string, now = new Date()): Promise<void> {
  await WorkerHeartbeat.updateOne({ _id: workerName }, { $set: { pid: process.pid, host: hostname(), beatAt: now } }, { upsert: true });
}

export async function latestHeartbeat(): Promise<{ worker: string; beatAt: Date } | null> {
  const beat = await WorkerHeartbeat.findOne().sort({ beatAt: -1 }).lean();
  return beat ? { worker: beat._id, beatAt: beat.beatAt } : null;
}

/** True for the one caller that sets the marker; false if it was already set. */
export async function claimMarker(id: string, now = new Date()): Promise<boolean> {
  try {
    await Marker.create({ _id: id, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** A web process records where it answers when it starts listening. */
export async function recordWebAddress(url: string, now = new Date()): Promise<void> {
  await WebAddress.updateOne({ _id: 'web' }, { $set: { url, at: now } }, { upsert: true });
}

/** Where the web process last started answering, if one ever did. */
export async function lastWebAddress(): Promise<string | null> {
  return (await WebAddress.findById('web').lean())?.url ?? null;
}
