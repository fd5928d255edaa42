// Every benchmark in one command: `npm run bench [-- --quick]`. Runs the email, themes, HTTP and scale
// benchmarks one after another, each in its own process (so none inherits another's memory or warm
// caches), shows their output as it comes, and ends with every `name value` line they printed, so runs can
// be compared line by line. --quick passes smaller sizes and shorter runs to each.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { root } from './drill-lib.ts';

const quick = process.argv.includes('--quick');
const benches: { name: string; file: string; args: string[] }[] = [
  { name: 'email', file: 'bench/email.ts', args: quick ? ['--count', '100'] : [] },
  { name: 'themes', file: 'bench/themes.ts', args: quick ? ['--sizes', '1000,10000'] : [] },
  { name: 'http', file: 'bench/http.ts', args: quick ? ['--duration', '5', '--responses', '1000'] : [] },
  { name: 'scale', file: 'bench/scale.ts', args: quick ? ['--quick'] : [] },
];

const figureLine = /^[a-z][\w.]*\.[\w.]+ -?[\d.]+$/;
const collected: string[] = [];
const failed: string[] = [];

for (const b of benches) {
  console.log(`\n### ${b.name} (${b.file} ${b.args.join(' ')})`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', b.file, ...b.args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (figureLine.test(line.trim())) collected.push(line.trim());
    });
    child.on('exit', (c) => {
      if (figureLine.test(partial.trim())) collected.push(partial.trim());
      resolve(c);
    });
  });
  if (code !== 0) failed.push(`${b.name} (exit ${code})`);
  console.log(`### ${b.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

console.log(
  `\n### all figures (load average now: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);
for (const line of collected) console.log(line);
if (failed.length) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
