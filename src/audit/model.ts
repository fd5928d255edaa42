// The audit log: who did what, when, from where. Written by services, read by admins.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    actorType: { type: String, enum: ['user', 'api_key', 'system', 'anonymous', 'rep_link'], required: true },
    actorId: { type: String, maxlength: 100 },
    actorEmail: { type: String, maxlength: 320 },
    action: { type: String, required: true, maxlength: 100 },
    target: { type: String, maxlength: 300 },
    ip: { type: String, maxlength: 100 },
    details: { type: Map, of: String },
  },
  { versionKey: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ action: 1, at: -1 });

export type AuditDoc = InferSchemaType<typeof auditSchema>;
export const AuditEntry = mongoose.model('AuditEntry', auditSchema);
