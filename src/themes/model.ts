// What the themes feature stores: a snapshot per run (what the pipeline found, and the same themes with
// the marketers' curation applied), the curation records that are re-applied after every run, and one
// status document per theme set so that the page can show a run's progress.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { tracksChanges } from '../lib/change-token.ts';

export const themeSets = ['reasons', 'helped', 'reps', 'wins'] as const;

const quoteSchema = new Schema(
  {
    responseId: { type: String, required: true },
    text: { type: String, required: true },
    attribution: { type: String, required: true },
  },
  { _id: false },
);

const themeSchema = new Schema(
  {
    id: { type: String, required: true },
    label: { type: String, required: true },
    terms: { type: [String], default: [] },
    size: { type: Number, required: true },
    share: { type: Number, required: true },
    quotes: { type: [quoteSchema], default: [] },
    memberIds: { type: [String], default: [] },
  },
  { _id: false },
);

const snapshotSchema = new Schema(
  {
    set: { type: String, enum: themeSets, required: true },
    asOf: { type: Date, required: true },
    total: { type: Number, required: true },
    method: { type: String, maxlength: 20 },
    ms: { type: Number },
    // The pipeline's themes, ids matched to the previous run's: what the next run is matched against.
    raw: { type: [themeSchema], default: [] },
    // The same with every curation applied: what the pages and reports show.
    themes: { type: [themeSchema], default: [] },
    // The src/disclosure rule its quotes were made under (none: before there was one); older ones are remade on reading.
    disclosure: { type: Number },
  },
  { versionKey: false },
);
// A set's latest snapshot, and its runs newest first.
snapshotSchema.index({ set: 1, asOf: -1 });

export type SnapshotDoc = InferSchemaType<typeof snapshotSchema>;
// Writes renew the report's change token (src/lib/change-token.ts).
snapshotSchema.plugin(tracksChanges('reports'));
export const ThemeSnapshot = mongoose.model('ThemeSnapshot', snapshotSchema);

export const curationKinds = ['rename', 'merge', 'split', 'move', 'pin', 'unpin', 'hide', 'unhide'] as const;
export type CurationKind = (typeof curationKinds)[number];

// One marketer's change to a theme set, in the order made. Which fields are set depends on the kind:
// rename: themeId, label · merge: themeId (merged away) into `into` · split: themeId into `parts` ·
// move: responseId to `into` · pin/unpin/hide/unhide: responseId (and the themeId it was shown in).
const curationSchema = new Schema(
  {
    set: { type: String, enum: themeSets, required: true },
    kind: { type: String, enum: curationKinds, required: true },
    themeId: { type: String, maxlength: 200 },
    into: { type: String, maxlength: 200 },
    label: { type: String, maxlength: 200 },
    responseId: { type: String, maxlength: 100 },
    parts: { type: [new Schema({ id: { type: String, required: true }, label: { type: String, required: true } }, { _id: false })], default: undefined },
    at: { type: Date, required: true },
    byEmail: { type: String, maxlength: 320 },
  },
  { versionKey: false },
);
curationSchema.index({ set: 1, at: 1 });

export type CurationDoc = InferSchemaType<typeof curationSchema>;
export const ThemeCuration = mongoose.model('ThemeCuration', curationSchema);

export const runStates = ['queued', 'running', 'done', 'failed'] as const;

// One per theme set (_id is the set): the state of its latest recomputation, for the progress shown on
// the page. Updated by _id only.
const runSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: runStates, required: true },
    progress: { type: Number, default: 0 },
    requestedAt: { type: Date },
    startedAt: { type: Date },
    finishedAt: { type: Date },
    error: { type: String, maxlength: 500 },
  },
  { versionKey: false, timestamps: { createdAt: false, updatedAt: true } },
);

export type RunDoc = InferSchemaType<typeof runSchema>;
export const ThemeRun = mongoose.model('ThemeRun', runSchema);
