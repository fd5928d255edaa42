// Small bookkeeping documents keyed by a fixed _id: one-time markers (the demo seed, a data back-fill)
// and worker heartbeats. Markers are inserted, never upserted, so that a duplicate-key error decides who
// got there first.
import mongoose, { Schema } from 'mongoose';

const markerSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const Marker = mongoose.model('Marker', markerSchema);

const heartbeatSchema = new Schema(
  { _id: { type: String, required: true }, pid: Number, host: String, beatAt: { type: Date, required: true } },
  { versionKey: false },
);
export const WorkerHeartbeat = mongoose.model('WorkerHeartbeat', heartbeatSchema);
