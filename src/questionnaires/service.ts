// Reading and saving questionnaire templates (the loss one, 'default', and the win one, 'win'). Versions
// are immutable, so each process keeps the ones it has read (by _id) for good; which version of each is
// current is re-read every few seconds. Saving inserts the
// next version (its _id is unique, so two marketers saving at once cannot both make "version 5") and
// then moves the head. Takes typed input and the actor; throws ValidationError or a 409 AppError.
import mongoose from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { loadProgram } from '../program/index.ts';
import { defaultQuestions, defaultWinQuestions } from './default.ts';
import { defaultTemplateKey, QuestionnaireHead, QuestionnaireVersion, versionId, type Question, type TemplateKey, type TemplateVersion } from './model.ts';
import { templateQuestions } from './schemas.ts';

const headTtlMs = 5_000;
const versions = new Map<string, TemplateVersion>();
const heads = new Map<TemplateKey, { db: string; version: number; readAt: number }>();

/** Cache keys carry the database's name: tests run many databases in one process. */
function cacheKey(id: string): string {
  return `${mongoose.connection.name}/${id}`;
}

interface StoredVersion {
  _id: string;
  key: string;
  version: number;
  questions: Question[];
  createdAt: Date;
  createdBy?: string | null;
}

function toVersion(doc: StoredVersion): TemplateVersion {
  return {
    id: doc._id,
    key: doc.key,
    version: doc.version,
    createdAt: doc.createdAt,
    createdBy: doc.createdBy ?? 'system',
    questions: doc.questions.map((q) => ({
      id: q.id,
      type: q.type,
      role: q.role,
      label: q.label,
      hint: q.hint ?? '',
      required: Boolean(q.required),
      options: (q.options ?? []).map((o) => ({ value: o.value, label: o.label })),
      scaleLow: q.scaleLow ?? '',
      scaleHigh: q.scaleHigh ?? '',
      quoteUse: Boolean(q.quoteUse),
    })),
  };
}

/** One version by its id ("default@3"), or null. */
export async function findTemplateVersion(id: string): Promise<TemplateVersion | null> {
  const cached = versions.get(cacheKey(id));
  if (cached) return cached;
  const doc = await QuestionnaireVersion.findById(id).lean<StoredVersion>();
  if (!doc) return null;
  const version = toVersion(doc);
  versions.set(cacheKey(id), version);
  return version;
}

export async function templateVersion(id: string): Promise<TemplateVersion> {
  const version = await findTemplateVersion(id);
  if (!version) throw new NotFoundError('That questionnaire version does not exist.');
  return version;
}

/** Makes version 1 of a template from the program's reasons, once. */
async function ensureDefaultTemplate(key: TemplateKey): Promise<number> {
  const program = await loadProgram();
  try {
    await QuestionnaireVersion.create({
      _id: versionId(key, 1),
      key,
      version: 1,
      questions: key === defaultTemplateKey ? defaultQuestions(program.reasons) : defaultWinQuestions(program.reasons),
      createdBy: 'system',
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  try {
    await QuestionnaireHead.updateOne({ _id: key }, { $setOnInsert: { version: 1 } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // two first requests at once: the other one made it
  }
  const doc = await QuestionnaireHead.findById(key).lean();
  return doc?.version ?? 1;
}

async function currentVersionNumber(key: TemplateKey, fresh = false): Promise<number> {
  const head = heads.get(key);
  if (!fresh && head && head.db === mongoose.connection.name && Date.now() - head.readAt < headTtlMs) return head.version;
  const doc = await QuestionnaireHead.findById(key).lean();
  const version = doc?.version ?? (await ensureDefaultTemplate(key));
  heads.set(key, { db: mongoose.connection.name, version, readAt: Date.now() });
  return version;
}

/** The version new interviews are answered on: of the loss questionnaire, or of another (key). */
export async function currentTemplate(opts: { fresh?: boolean; key?: TemplateKey } = {}): Promise<TemplateVersion> {
  const key = opts.key ?? defaultTemplateKey;
  const number = await currentVersionNumber(key, opts.fresh);
  const version = await findTemplateVersion(versionId(key, number));
  if (version) return version;
  // The head names a version this database lacks (a restore gone wrong): start again from the default.
  heads.delete(key);
  await QuestionnaireHead.deleteOne({ _id: key });
  return templateVersion(versionId(key, await ensureDefaultTemplate(key)));
}

export interface VersionRow {
  id: string;
  version: number;
  questions: number;
  createdAt: Date;
  createdBy: string;
}

export async function listVersions(key: TemplateKey = defaultTemplateKey): Promise<VersionRow[]> {
  await currentTemplate({ key });
  const docs = await QuestionnaireVersion.find({ key }).sort({ version: -1 }).limit(50).lean<StoredVersion[]>();
  return docs.map((d) => ({ id: d._id, version: d.version, questions: d.questions.length, createdAt: d.createdAt, createdBy: d.createdBy ?? 'system' }));
}

export interface SaveOutcome {
  version: TemplateVersion;
  /** False when the questions were the same as the current version's: nothing was saved. */
  created: boolean;
}

function same(a: Question[], b: Question[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Saves the questions as the next version and makes it current. `basedOn` is the version the editor
 * showed: if someone saved another version meanwhile, nothing is saved (409) rather than overwriting
 * their change unseen.
 */
export async function saveTemplate(input: unknown, basedOn: number, actor: Actor, key: TemplateKey = defaultTemplateKey): Promise<SaveOutcome> {
  const questions = parseOrThrow(templateQuestions, input) as Question[];
  const current = await currentTemplate({ fresh: true, key });
  if (current.version !== basedOn) {
    throw new AppError(
      409,
      'stale_version',
      `Someone saved version ${current.version} while you were editing version ${basedOn}. Reload the page to edit the newest version.`,
    );
  }
  if (same(current.questions, questions)) return { version: current, created: false };
  const next = current.version + 1;
  try {
    await QuestionnaireVersion.create({
      _id: versionId(key, next),
      key,
      version: next,
      questions,
      createdBy: actor.email ?? actor.type,
    });
  } catch (err) {
    if (isDuplicateKeyError(err))
      throw new AppError(409, 'stale_version', 'Someone saved a new version at the same moment. Reload the page to edit the newest version.');
    throw err;
  }
  await QuestionnaireHead.updateOne({ _id: key, version: mongoose.trusted({ $lt: next }) }, { $set: { version: next } });
  heads.set(key, { db: mongoose.connection.name, version: next, readAt: Date.now() });
  await audit(actor, 'questionnaire.updated', versionId(key, next), { questions: String(questions.length) });
  return { version: await templateVersion(versionId(key, next)), created: true };
}

/** Forgets what this process cached (tests that reset the database between cases). */
export function forgetCachedTemplates(): void {
  versions.clear();
  heads.clear();
}
