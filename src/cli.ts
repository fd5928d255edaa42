// Command line for operators: `npm run cli -- create-admin --email EMAIL --name NAME`, the `api-key`
// commands and `mailbox` (what the SMTP catcher kept for one address). The password is asked for on the terminal (not echoed), or read from the first
// line of standard input when it is not a terminal, so it never lands in shell history or a process
// list. A new API key is the only thing `api-key create` writes to standard output, so scripts can
// capture it; everything else about it goes to standard error.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { z } from 'zod';
import { personName } from './accounts/schemas.ts';
import { createUser } from './accounts/service.ts';
import type { Actor } from './audit/service.ts';
import { keyMarker } from './apikeys/model.ts';
import { apiKeyName, apiKeyPrefix, apiKeyScopeList } from './apikeys/schemas.ts';
import { createApiKey, findApiKeyByPrefix, listApiKeys, revokeApiKey } from './apikeys/service.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './lib/db.ts';
import { migrateFerretDb } from './lib/ferretdb-migration.ts';
import { moveToMongoDb } from './lib/move-to-mongodb.ts';
import { AppError } from './lib/errors.ts';
import { createLogger } from './lib/logger.ts';
import { caughtMailTo } from './mail/service.ts';
import { ensureIndexes } from './server.ts';
import { lastWebAddress } from './system/service.ts';

const usage = `Usage:
  npm run cli -- create-admin --email EMAIL --name "FULL NAME"   (asks for the password)
  npm run cli -- api-key create --name NAME --scopes read,write,webhooks   (prints the key once)
  npm run cli -- api-key list
  npm run cli -- api-key revoke --prefix PREFIX
  npm run cli -- migrate-ferretdb   (moves DATA_DIR/engine, the earlier FerretDB engine's data, to the current engine)
  npm run cli -- move-to-mongodb --uri MONGODB_URI   (copies the embedded engine's data into an empty MongoDB)
  npm run cli -- mailbox --to EMAIL   (without SMTP_URL: the mail the SMTP catcher kept for EMAIL, newest first)`;

const cliActor: Actor = { type: 'system', email: 'cli' };

/** Opens the database (logs to standard error, so standard output stays the command's answer). */
async function withDatabase<T>(run: (config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger('warn', process.stderr);
  const database = await openDatabase(config, logger);
  try {
    await ensureIndexes();
    return await run(config);
  } finally {
    await database.close();
  }
}

function check<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`${parsed.error.issues.map((i) => (i.path.length ? `--${String(i.path[0])}: ${i.message}` : i.message)).join('\n')}\n${usage}`);
  }
  return parsed.data;
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: write the prompt ourselves and mute readline's echo.
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write(prompt);
  out._writeToOutput = () => {};
  const answer = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return answer;
}

async function createAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } }, strict: true });
  const input = z.object({ email: z.email('--email must be an email address'), name: personName }).safeParse(values);
  if (!input.success)
    throw new Error(`${input.error.issues.map((i) => (i.path.length ? `--${String(i.path[0])}: ${i.message}` : i.message)).join('\n')}\n${usage}`);
  await withDatabase(async (config) => {
    const password = await readPassword('Password (12 to 128 characters): ');
    if (process.stdin.isTTY && (await readPassword('Password again: ')) !== password) throw new Error('The two passwords are not the same.');
    const user = await createUser({ ...input.data, role: 'admin', password }, cliActor);
    // Where the web process answers (it records its APP_URL as it starts), not this shell's default.
    const url = (await lastWebAddress()) ?? config.appUrl;
    console.log(`Created admin ${user.email}. Sign in at ${url}/sign-in`);
  });
}

async function apiKey(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, scopes: { type: 'string' } }, strict: true });
    const input = check(z.object({ name: apiKeyName, scopes: apiKeyScopeList }), {
      name: values.name ?? '',
      scopes: (values.scopes ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
    await withDatabase(async () => {
      const { key, record } = await createApiKey(input, cliActor);
      process.stdout.write(`${key}\n`);
      console.error(`Created API key "${record.name}" (${keyMarker}${record.prefix}…) with scopes ${record.scopes.join(', ')}.`);
      console.error('The key is printed above, once: store it now. Debrief keeps only a hash of it.');
    });
  } else if (sub === 'list') {
    parseArgs({ args: rest, options: {}, strict: true });
    await withDatabase(async () => {
      const keys = await listApiKeys();
      if (keys.length === 0) return console.log('No API keys.');
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        const used = k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used';
        console.log(`${k.prefix}  ${k.name}  [${k.scopes.join(',')}]  ${state}, ${used}, created ${k.createdAt.toISOString()} by ${k.createdBy}`);
      }
    });
  } else if (sub === 'revoke') {
    const { values } = parseArgs({ args: rest, options: { prefix: { type: 'string' } }, strict: true });
    const { prefix } = check(z.object({ prefix: apiKeyPrefix }), { prefix: values.prefix ?? '' });
    await withDatabase(async () => {
      const found = await findApiKeyByPrefix(prefix);
      if (!found) throw new Error(`There is no API key with the prefix ${prefix}. \`npm run cli -- api-key list\` shows them.`);
      if (found.revokedAt) return console.log(`API key ${found.name} (${keyMarker}${prefix}…) was already revoked on ${found.revokedAt.toISOString()}.`);
      await revokeApiKey(found.id, cliActor);
      console.log(`Revoked API key ${found.name} (${keyMarker}${prefix}…).`);
    });
  } else {
    throw new Error(usage);
  }
}

/**
 * Without SMTP_URL no mail leaves the machine: this prints what the catcher kept for one address, account
 * mail included (an invitation, a reset link), which the web mailbox shows only to its addressee.
 */
async function mailbox(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' } }, strict: true });
  const { to } = check(z.object({ to: z.email('must be an email address') }), { to: values.to ?? '' });
  await withDatabase(async () => {
    const found = await caughtMailTo(to);
    if (found.length === 0) return console.log(`No mail for ${to} in the SMTP catcher.`);
    for (const m of found) console.log(`--- ${m.receivedAt.toISOString()}  ${m.subject}\n${m.text.trim()}\n`);
  });
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'create-admin') await createAdmin(rest);
  else if (command === 'api-key') await apiKey(rest);
  else if (command === 'migrate-ferretdb') {
    const { dataDir } = loadConfig();
    const report = await migrateFerretDb(dataDir, (line) => console.log(line));
    const total = report.collections.reduce((n, c) => n + c.documents, 0);
    console.log(
      `Moved ${total} documents in ${report.collections.length} collections. The old folder is kept at ${report.keptAt}; delete it once Debrief runs as it should.`,
    );
  } else if (command === 'move-to-mongodb') {
    const { values } = parseArgs({ args: rest, options: { uri: { type: 'string' } } });
    const uri = check(z.object({ uri: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// connection string') }), values).uri;
    const copied = await moveToMongoDb(loadConfig().dataDir, uri, (line) => console.log(line));
    console.log(
      `Copied ${copied.reduce((n, c) => n + c.documents, 0)} documents in ${copied.length} collections. Start Debrief with MONGODB_URI set to that database; ${loadConfig().dataDir}/db is kept as it was.`,
    );
  } else if (command === 'mailbox') await mailbox(rest);
  else throw new Error(usage);
  process.exit(0);
} catch (err) {
  if (err instanceof AppError && err.details) console.error(Object.values(err.details).flat().join('\n'));
  else if (err instanceof ConfigError) console.error(err.message);
  else console.error((err as Error).message);
  if (mongoose.connection.readyState === 1) await mongoose.disconnect();
  process.exit(1);
}
