#!/usr/bin/env node
// Builds the embedded database engine (engine/: mongo-java-server over an H2 MVStore file) with Maven,
// once: the jar and its libraries land in engine/target/ with a stamp of the sources and the Java and
// Maven versions, and are rebuilt only when those change. Runs as npm's postinstall. Without Java 17+
// and Maven it explains what to do and lets the install finish, because a deployment that sets
// MONGODB_URI does not need the engine.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = join(root, 'engine');
const targetDir = join(engineDir, 'target');
const jar = join(targetDir, 'debrief-engine.jar');
const stampFile = join(targetDir, 'stamp');
const force = process.argv.includes('--force');

function versionOf(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim().split('\n')[0];
}

const java = versionOf('java', ['-version']);
const maven = versionOf('mvn', ['-v']);
if (!java || !maven) {
  console.warn(
    [
      '',
      `debrief: ${!java ? 'Java' : 'Maven'} was not found, so the embedded database engine was not built.`,
      '  Without MONGODB_URI, Debrief runs on that engine: install Java 17 or later and Maven',
      '  (Debian: apt-get install openjdk-17-jdk-headless maven) and run `npm run build:engine`.',
      '  With MONGODB_URI set to a real MongoDB, you can ignore this.',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

function sourcesOf(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sourcesOf(path) : [path];
    });
}

const hash = createHash('sha256');
for (const file of [join(engineDir, 'pom.xml'), ...sourcesOf(join(engineDir, 'src'))]) {
  hash.update(file.slice(engineDir.length)).update(readFileSync(file));
}
hash.update(java).update(maven);
const stamp = hash.digest('hex');

if (!force && existsSync(jar) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) {
  console.log('debrief: the embedded database engine is up to date.');
  process.exit(0);
}

console.log(`debrief: building the embedded database engine with ${java} (first time: a minute)...`);
const started = Date.now();
const result = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', 'package'], { cwd: engineDir, stdio: 'inherit' });
if (result.status !== 0 || !existsSync(jar)) {
  console.error('debrief: building the embedded database engine failed (see the Maven output above).');
  process.exit(1);
}
writeFileSync(stampFile, `${stamp}\n`);
console.log(`debrief: engine built in ${Math.round((Date.now() - started) / 1000)} s: ${jar}`);
