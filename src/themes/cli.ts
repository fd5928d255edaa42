// The themes pipeline on the command line, with no database: JSON lines of answers in, themes out.
//   npx tsx src/themes/cli.ts --in answers.jsonl --out themes.json [--k N] [--seed S]
// Bad input lines are reported on stderr with their line numbers and skipped; bad arguments exit 2.
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { clusterAnswers, type AnswerInput } from './pipeline/index.ts';

const messages = {
  usage: [
    'Usage: npx tsx src/themes/cli.ts --in answers.jsonl --out themes.json [--k N] [--seed S]',
    '',
    '  --in FILE    JSON lines, one answer each: {"id": "...", "text": "...", "quotable"?: bool, "named"?: bool, "author"?: "..."}',
    '  --out FILE   where to write {"themes": [...], "assignments": {...}} ("-" for standard output)',
    '  --k N        exactly N themes (the unclear group, if any, counting as one)',
    '  --seed S     seed for the random choices (default 1): the same input and seed give the same themes',
  ].join('\n'),
  badLine: (n: number, why: string) => `line ${n}: ${why}, skipped`,
  duplicate: (id: string, first: number) => `duplicate id "${id}" (first on line ${first})`,
  summary: (answers: number, bad: number, themes: number, ms: number) =>
    `${answers} answers (${bad} bad lines skipped), ${themes} themes in ${Math.round(ms)} ms`,
};

const argsSchema = z.object({
  in: z.string({ error: '--in is required' }).min(1, '--in is required'),
  out: z.string({ error: '--out is required' }).min(1, '--out is required'),
  k: z.coerce.number().int('--k must be a whole number').min(1, '--k must be at least 1').optional(),
  seed: z.coerce.number().int('--seed must be a whole number').optional(),
});

const lineSchema = z.object({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  text: z.string(),
  quotable: z.boolean().optional(),
  named: z.boolean().optional(),
  author: z.string().optional(),
});

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${messages.usage}\n`);
  process.exit(2);
}

function parseCommandLine(argv: string[]): z.infer<typeof argsSchema> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { in: { type: 'string' }, out: { type: 'string' }, k: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help === true) {
    process.stdout.write(`${messages.usage}\n`);
    process.exit(0);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('\n'));
  if (!existsSync(parsed.data.in)) fail(`--in: no such file: ${parsed.data.in}`);
  return parsed.data;
}

/** The valid answers of a JSON-lines file; each bad line is reported on stderr. */
export async function readAnswers(path: string, report: (msg: string) => void): Promise<{ items: AnswerInput[]; bad: number }> {
  const items: AnswerInput[] = [];
  const firstLine = new Map<string, number>();
  let bad = 0;
  let n = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      bad++;
      report(messages.badLine(n, 'not valid JSON'));
      continue;
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) {
      bad++;
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');
      report(messages.badLine(n, why));
      continue;
    }
    const first = firstLine.get(parsed.data.id);
    if (first !== undefined) {
      bad++;
      report(messages.badLine(n, messages.duplicate(parsed.data.id, first)));
      continue;
    }
    firstLine.set(parsed.data.id, n);
    items.push(parsed.data);
  }
  return { items, bad };
}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  const report = (msg: string): void => {
    process.stderr.write(`${msg}\n`);
  };
  const { items, bad } = await readAnswers(args.in, report);
  let result;
  try {
    result = clusterAnswers(items, { ...(args.k !== undefined ? { k: args.k } : {}), ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  } catch (err) {
    if (err instanceof RangeError) {
      report(err.message);
      process.exit(1);
    }
    throw err;
  }
  const out = {
    themes: result.themes.map((t) => ({ id: t.id, label: t.label, terms: t.terms, size: t.size, share: t.share, quotes: t.quotes, memberIds: t.memberIds })),
    assignments: result.assignments,
  };
  const json = `${JSON.stringify(out, null, 2)}\n`;
  if (args.out === '-') process.stdout.write(json);
  else writeFileSync(args.out, json);
  report(messages.summary(items.length, bad, result.themes.length, result.timings.total));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/themes/cli.ts')) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
