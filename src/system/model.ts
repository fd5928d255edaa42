// Small bookkeeping documents keyed by a fixed _id: one-time markers (the demo seed, a data back-fill),
// worker heartbeats and the web address. Markers are inserted, never upserted, so that a duplicate-key
// error decides who got there first.
import mongoose, { Schema } from 'mongoose';

const markerSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const Marker = mongoose.model('Marker', markerSchema);

const heartbeatSchema = new Schema(
  { _id: { type: String, required: true }, pid: Number, host: String, beatAt: { type: Date, required: true } },
  { versionKey: false },
);
export const WorkerHeartbeat = mongoose.model('WorkerHeartbeat', heartbeatSchema);

// Where the web process last started answering (its APP_URL): the command line, run without the web
// process's environment, tells people to sign in there rather than at its own default address.
const webAddressSchema = new Schema(
  { _id: { type: String, required: true }, url: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
export const WebAddress = mongoose.model('WebAddress', webAddressSchema, 'webaddresses');
