// A CSV import: the run (who uploaded what, the column mapping, progress and errors) and its rows, kept
// in chunks so that a worker in another process can import them. A chunk's _id says what it is
// ("<run id>:<index>"), so each is read by _id; a run's chunks are deleted by runId.
import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';
import { importFields } from './fields.ts';

export const importStatuses = ['uploaded', 'mapped', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const counterNames = ['processed', 'created', 'updated', 'unchanged', 'lost', 'interviews', 'failed'] as const;
export type Counters = Record<(typeof counterNames)[number], number>;

const rowErrorSchema = new Schema({ row: Number, field: String, message: String }, { _id: false });
const counterSchema = new Schema(Object.fromEntries(counterNames.map((n) => [n, { type: Number, default: 0 }])), { _id: false });
const previewSchema = new Schema(
  { valid: { type: Number, default: 0 }, invalid: { type: Number, default: 0 }, rowErrors: { type: [rowErrorSchema], default: [] } },
  { _id: false },
);
const mappingSchema = new Schema(Object.fromEntries(importFields.map((f) => [f, { type: Number, min: 0 }])), { _id: false });

const importRunSchema = new Schema(
  {
    status: { type: String, enum: importStatuses, required: true, default: 'uploaded' },
    source: { type: String, required: true, maxlength: 40 },
    filename: { type: String, required: true, maxlength: 200 },
    delimiter: { type: String, required: true, maxlength: 1 },
    headers: { type: [String], default: [] },
    rowCount: { type: Number, required: true },
    chunkCount: { type: Number, required: true },
    mapping: { type: mappingSchema, default: undefined },
    // Columns holding a slash date that cannot be month first (15/03/2024), found at upload; how the
    // mapped date column is read (day or month first) is decided from it when the mapping is saved.
    dayFirstColumns: { type: [Number], default: [] },
    dateOrder: { type: String, enum: ['dmy', 'mdy'], default: 'mdy' },
    preview: { type: previewSchema, required: true, default: () => ({}) },
    // The worker's place: chunks below this index are imported and counted.
    processedChunks: { type: Number, default: 0 },
    // The chunks are deleted (the import finished, or was left too long): it cannot run again.
    rowsDropped: { type: Boolean, default: false },
    counters: { type: counterSchema, default: () => ({}) },
    // `errors` is a name mongoose keeps for itself.
    rowErrors: { type: [rowErrorSchema], default: [] },
    deals: { type: [new Schema({ id: Schema.Types.ObjectId, name: String }, { _id: false })], default: [] },
    failure: { type: String, maxlength: 1000 },
    createdBy: {
      type: new Schema({ id: { type: String, required: true }, email: { type: String, required: true }, name: String }, { _id: false }),
      required: true,
    },
    queuedAt: Date,
    startedAt: Date,
    finishedAt: Date,
  },
  { timestamps: true },
);
importRunSchema.index({ createdAt: -1 });

export type ImportRunDoc = InferSchemaType<typeof importRunSchema> & { _id: Types.ObjectId };
export const ImportRun = mongoose.model('ImportRun', importRunSchema);

/**
 * One data row as a chunk keeps it: `r` is its row number in the file (the header is row 1), `c<i>` the cell
 * under header i (empty cells left out), `x` set when the row has more cells than there are headers.
 * Keys are column positions, not header names: headers may repeat, be empty or hold '.' and '$'.
 */
export type StoredRow = { r: number; x?: boolean } & { [cell: `c${number}`]: string };

// The rows are kept as one deflated JSON text per chunk: the database never looks inside a row, a chunk is
// written once and read whole, and deflated it is a seventh of the size. The preview reads every chunk of
// a 50,000-row file in one request.
const importChunkSchema = new Schema(
  {
    _id: { type: String, required: true },
    runId: { type: Schema.Types.ObjectId, required: true, index: true },
    index: { type: Number, required: true },
    rowCount: { type: Number, required: true },
    rows: { type: Buffer, required: true },
  },
  { versionKey: false },
);
export const ImportChunk = mongoose.model('ImportChunk', importChunkSchema);

export function chunkId(runId: Types.ObjectId | string, index: number): string {
  return `${String(runId)}:${index}`;
}
