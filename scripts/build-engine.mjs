#!/usr/bin/env node
// Builds the embedded database engine (engine/: FerretDB 1.24 over SQLite) with Go, once: the binary is
// cached in engine/bin/ with a stamp of its sources and the Go version, and rebuilt only when they change.
// Runs as npm's postinstall. Without Go it explains what to do and lets the install finish, because a
// deployment that sets MONGODB_URI does not need the engine.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = join(root, 'engine');
const binDir = join(engineDir, 'bin');
const binary = join(binDir, 'debrief-engine');
const stampFile = join(binDir, 'stamp');
const force = process.argv.includes('--force');

function goVersion() {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8', env: goEnv() }).trim();
  } catch {
    return null;
  }
}

function goEnv() {
  // GOTOOLCHAIN=local: never fetch a Go toolchain; GOFLAGS: no VCS stamping (the engine is not a repo).
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false -mod=readonly' };
}

const version = goVersion();
if (!version) {
  console.warn(
    [
      '',
      'debrief: Go was not found, so the embedded database engine was not built.',
      '  Without MONGODB_URI, Debrief runs on that engine: install Go 1.24 or later',
      '  (Debian: apt-get install golang-go, or from the Go website) and run `npm run build:engine`.',
      '  With MONGODB_URI set to a real MongoDB, you can ignore this.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const hash = createHash('sha256');
const sources = readdirSync(engineDir).filter((f) => f.endsWith('.go')).sort();
for (const file of [...sources, 'go.mod', 'go.sum']) hash.update(file).update(readFileSync(join(engineDir, file)));
hash.update(version);
const stamp = hash.digest('hex');

if (!force && existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log('debrief: the embedded database engine is up to date.');
  process.exit(0);
}

mkdirSync(binDir, { recursive: true });
console.log(`debrief: building the embedded database engine with ${version} (first time: a minute or two)...`);
const started = Date.now();
const tmp = `${binary}.tmp`;
const result = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
  cwd: engineDir,
  env: goEnv(),
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('debrief: building the embedded database engine failed (see the Go output above).');
  process.exit(1);
}
renameSync(tmp, binary);
writeFileSync(stampFile, `${stamp}\n`);
console.log(`debrief: engine built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
