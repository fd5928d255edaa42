// Workspace-wide settings kept in the database (one document), as opposed to the installation's
// configuration from the environment. The program settings (deals issue) live beside these.
import mongoose, { Schema } from 'mongoose';

const workspaceSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Buyer answers older than this many months are deleted; null: kept until erased by hand.
    retentionMonths: { type: Number, min: 1, max: 240, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const WorkspaceSettings = mongoose.model('WorkspaceSettings', workspaceSettingsSchema);

export interface Workspace {
  retentionMonths: number | null;
}

export async function workspaceSettings(): Promise<Workspace> {
  const doc = await WorkspaceSettings.findById('workspace').lean();
  return { retentionMonths: doc?.retentionMonths ?? null };
}

export async function saveWorkspaceSettings(update: Partial<Workspace>): Promise<void> {
  await WorkspaceSettings.updateOne({ _id: 'workspace' }, { $set: update }, { upsert: true });
}
