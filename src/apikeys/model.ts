// API keys for programs that call the JSON API (/api/v1). Only a SHA-256 hash of each key is stored: a
// key is 32 random bytes, so a fast hash is enough (nothing to brute-force), and the lookup by hash is
// the comparison. The prefix is a short public id for telling keys apart in the UI, the CLI and the
// audit log.
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

export const apiKeyScopes = ['read', 'write', 'webhooks', 'answers:internal'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeyScopeLabels: Record<ApiKeyScope, string> = {
  read: 'Read deals and interviews',
  write: 'Create and change deals, the program settings and privacy requests',
  webhooks: 'Manage outgoing webhook endpoints through the API (CRM webhooks coming in are signed with WEBHOOK_SECRET)',
  'answers:internal': 'With read: also the answers buyers gave for the team only (without it the API withholds them)',
};

/** Every key starts with this marker, so that a leaked key is easy to recognise (and to scan for). */
export const keyMarker = 'dbk_';
export const prefixLength = 8;

const apiKeySchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    prefix: { type: String, required: true, minlength: prefixLength, maxlength: prefixLength, unique: true },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/, unique: true },
    scopes: { type: [{ type: String, enum: apiKeyScopes }], required: true },
    createdBy: { type: String, required: true, maxlength: 320 },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
    revokedBy: { type: String, maxlength: 320 },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type ApiKeyDoc = InferSchemaType<typeof apiKeySchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const ApiKey = mongoose.model('ApiKey', apiKeySchema);
