// Command line for operators: `npm run cli -- create-admin --email EMAIL --name NAME`.
// The password is asked for on the terminal (not echoed), or read from the first line of standard
// input when it is not a terminal, so it never lands in shell history or a process list.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { z } from 'zod';
import { createUser } from './accounts/service.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './lib/db.ts';
import { AppError } from './lib/errors.ts';
import { createLogger } from './lib/logger.ts';
import { ensureIndexes } from './server.ts';

const usage = `Usage:
  npm run cli -- create-admin --email EMAIL --name "FULL NAME"   (asks for the password)`;

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
  const input = z.object({ email: z.email('--email must be an email address'), name: z.string().min(1, '--name is required') }).safeParse(values);
  if (!input.success) throw new Error(`${input.error.issues.map((i) => i.message).join('\n')}\n${usage}`);
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger);
  try {
    await ensureIndexes();
    const password = await readPassword('Password (12 to 128 characters): ');
    if (process.stdin.isTTY && (await readPassword('Password again: ')) !== password) throw new Error('The two passwords are not the same.');
    const user = await createUser({ ...input.data, role: 'admin', password }, { type: 'system', email: 'cli' });
    console.log(`Created admin ${user.email}. Sign in at ${config.appUrl}/sign-in`);
  } finally {
    await database.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'create-admin') await createAdmin(rest);
  else throw new Error(usage);
  process.exit(0);
} catch (err) {
  if (err instanceof AppError && err.details) console.error(Object.values(err.details).flat().join('\n'));
  else if (err instanceof ConfigError) console.error(err.message);
  else console.error((err as Error).message);
  if (mongoose.connection.readyState === 1) await mongoose.disconnect();
  process.exit(1);
}
